"""Listeners written as ack + lazy work with process_before_response on (FaaS hosts) too."""

from __future__ import annotations

from slack_bolt import Ack, Respond
from slack_bolt.request import BoltRequest

from handlers.slack.errors import guarded
from tests.slack import signing
from tests.slack.mock_web_api_server import MockSlackWebApi


def test_ack_then_lazy_runs_in_both_modes(
    make_app, slack_api: MockSlackWebApi, signing_secret: str
) -> None:
    for process_before_response in (False, True):
        slack_api.clear()
        app = make_app(process_before_response=process_before_response)

        def ack_check(ack: Ack) -> None:
            ack(text="確認しています…")

        def run_check(respond: Respond, command: dict) -> None:
            respond(text=f"結果: {command['text']}", response_type="ephemeral")

        app.command("/lazycheck")(ack=ack_check, lazy=[guarded(run_check)])
        body = signing.slash_command_body(
            "/lazycheck", "本文", response_url=slack_api.response_url("lazy")
        )
        headers = signing.Signer(signing_secret).headers(body, signing.FORM)
        resp = app.dispatch(BoltRequest(body=body, headers=headers))
        assert resp.status == 200 and resp.body == "確認しています…"
        (hook,) = slack_api.wait_for("response_url")
        assert hook.params["text"] == "結果: 本文"
