"""Official-account registry (W5): 運用ポリシー, 開設届, posting rules, published list."""
