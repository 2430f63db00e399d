"""The 7(1)エ rules' ids, clause and documentation."""

from __future__ import annotations

from ..family import RuleDoc

CLAUSE = "7(1)エ"

_WHY = "個人情報は職務上知り得た情報であり、ガイドライン{clause}により掲載できません。"

MOBILE = RuleDoc(
    id="pii.mobile-phone",
    clause=CLAUSE,
    severity="block",
    title="携帯電話番号",
    what="070/080/090/060/020 で始まる携帯電話・PHS・M2M 番号を見つけます"
    "（全角・漢数字・記号混じりも）。",
    why="個人の携帯電話番号は個人情報です。",
    example="担当の090-1234-5678までご連絡ください。",
    use_instead="市の代表番号や担当課の公開番号を案内してください。",
    message="携帯電話番号「{excerpt}」が含まれています。"
    + _WHY
    + "番号を削除し、問い合わせ先には担当課の公開番号を記載してください。",
)
LANDLINE = RuleDoc(
    id="pii.landline-phone",
    clause=CLAUSE,
    severity="review",
    title="固定電話・IP電話番号（公開番号以外）",
    what="市の公開番号一覧（public_numbers.tsv）にない固定電話・050 番号を見つけます。"
    "「消費生活センター（0263-…）」のように機関名が添えられ、個人を示す語（さん・様・宅・携帯 等）が"
    "ない番号は info（判定に影響しない参考表示）にとどめます。",
    why="個人宅の電話番号であれば個人情報です。公開番号なら問題ありません。",
    example="詳しくは0263-12-3456（山田）へ。",
    use_instead="市が公開している番号を使い、一覧にない場合は"
    " public_numbers.tsv に登録してください。",
    message="市の公開番号一覧にない電話番号「{excerpt}」があります。個人の番号であれば"
    "ガイドライン{clause}（個人情報）に当たります。公開されている番号か確認してください。",
)
MY_NUMBER = RuleDoc(
    id="pii.my-number",
    clause=CLAUSE,
    severity="block",
    title="マイナンバー（個人番号）",
    what="チェックデジットが正しい 12 桁の番号を見つけます。"
    "「マイナンバー」「個人番号」が近くにあるか"
    " 4-4-4 区切りなら block、それ以外は review。チェックデジットが誤りなら報告しません。",
    why="マイナンバーは法律で利用・提供が厳しく制限された特定個人情報です。",
    example="マイナンバー 1234 5678 9018 の方",
    use_instead="番号は絶対に掲載せず、手続きの案内だけを書いてください。",
    message="マイナンバー（個人番号）と思われる12桁の番号「{excerpt}」が含まれています。"
    + _WHY
    + "番号を削除してください。",
)
EMAIL = RuleDoc(
    id="pii.email",
    clause=CLAUSE,
    severity="block",
    title="個人のメールアドレス",
    what="フリーメール・携帯キャリアのアドレスは block、その他の民間ドメインの個人らしいアドレスは"
    " review。市・官公庁（lg.jp、go.jp、市のドメイン）や info@ などの窓口アドレスは対象外です。",
    why="個人のメールアドレスは個人情報です。",
    example="taro.yamada@gmail.com に送ってください",
    use_instead="担当課の公開アドレスや問い合わせフォームを案内してください。",
    message="個人のものと思われるメールアドレス「{excerpt}」が含まれています。"
    + _WHY
    + "担当課の公開アドレスや問い合わせフォームに置き換えてください。",
)
ADDRESS = RuleDoc(
    id="pii.address",
    clause=CLAUSE,
    severity="block",
    title="番地・号までの住所",
    what="「1丁目2番3号」「1234番地」「中央1-2-3」など番地・号までの住所を見つけます。"
    "自宅・住所・さん等の個人の文脈があれば block、会場・施設名が添えられていれば info、"
    "どちらもなければ review。「中央1-2」のような二つ組は個人の自宅の文脈でだけ block。"
    "市の公開住所は対象外です。",
    why="個人の自宅住所は個人情報です。",
    example="山田さん（松本市中央1丁目2番3号）から相談があり",
    use_instead="地区名まで（例：松本市中央地区）にするか、公共施設の公開住所を使ってください。",
    message="番地・号まで含む住所「{excerpt}」があります。個人の住所であれば"
    "ガイドライン{clause}（個人情報）に当たり掲載できません。公共施設の公開住所か確認し、"
    "個人の住所なら削除してください。",
)
BIRTH_DATE = RuleDoc(
    id="pii.birth-date",
    clause=CLAUSE,
    severity="block",
    title="生年月日",
    what="「生年月日」に続く日付や「〇年〇月〇日生まれ」を見つけます。行事の日付は対象外です。",
    why="生年月日は個人を特定できる個人情報です。",
    example="生年月日：昭和60年4月1日",
    use_instead="生年月日は書かず、必要なら年代（例：30代）にとどめてください。",
    message="生年月日「{excerpt}」が含まれています。" + _WHY + "日付を削除してください。",
)
NAMED_PERSON = RuleDoc(
    id="pii.named-person",
    clause=CLAUSE,
    severity="block",
    title="事案に関わる個人の氏名",
    what="UniDic の人名タグ（姓・名）に「さん・様・氏」等が付いた氏名が、"
    "申請・相談・苦情・逮捕・入院・"
    "生活保護・滞納などの事案語と同じ文にあるときに見つけます（敬称なしの姓名は review）。"
    "年齢・学校・学年・組、住まい（〇丁目の、〇〇在住）、病気や暮らしの様子が添えられた氏名も"
    "見つけ、写真の説明や安否情報の一覧、年齢・学年・組の付いた子どもの名前では 7(1)ク（本人の了解）"
    "としても報告します。窓口・届出・申告・通告・検査結果・貸出などで職務上関わった人は、"
    "名前か、その事案が語る転居先・所得・学校・年齢などが同じ文にあれば見つけます。",
    why="誰がどんな申請や相談をしたかは、職務上知り得た個人情報です。",
    example="山田太郎さんから生活保護の申請がありました。",
    use_instead="「市民の方から」「申請者から」のように個人が特定できない書き方にしてください。",
    message="個人名「{excerpt}」が申請・相談などの事案と一緒に書かれています。"
    + _WHY
    + "氏名を削除するか、個人が特定できない表現にしてください。",
)


RULES = (MOBILE, LANDLINE, MY_NUMBER, EMAIL, ADDRESS, BIRTH_DATE, NAMED_PERSON)
