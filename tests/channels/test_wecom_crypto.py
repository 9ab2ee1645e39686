"""WeCom crypto against the published sample (developer document 90968) and wechatpy's implementation."""

from __future__ import annotations

import pytest
from wechatpy.enterprise.crypto import WeChatCrypto

from analytics.errors import Forbidden, InvalidInput
from assistant.channels.wecom.client import split_text
from assistant.channels.wecom.crypto import WeComCrypto, parse_xml, signature

# The sample parameters and captured requests published with WeCom's WXBizMsgCrypt samples.
TOKEN, AES_KEY, CORP_ID = "QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7"
VERIFY = {
    "msg_signature": "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3",
    "timestamp": "1409659589",
    "nonce": "263014780",
    "echostr": "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==",
}
POST_SIG, POST_TS, POST_NONCE = "477715d11cdb4164915debcba66cb864d751f3e6", "1409659813", "1372623149"
POST_ENCRYPT = (
    "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUk"
    "SUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekU"
    "NXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rU"
    "PA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+"
    "qN+E7Q=="
)
POST_BODY = (
    f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><Encrypt><![CDATA[{POST_ENCRYPT}]]></Encrypt>"
    "<AgentID><![CDATA[218]]></AgentID></xml>"
)


@pytest.fixture
def crypto() -> WeComCrypto:
    return WeComCrypto(TOKEN, AES_KEY, CORP_ID)


def test_published_url_verification_vector(crypto: WeComCrypto) -> None:
    assert (
        signature(TOKEN, VERIFY["timestamp"], VERIFY["nonce"], VERIFY["echostr"]) == VERIFY["msg_signature"]
    )
    echo = crypto.verify_url(**VERIFY)
    assert echo == "1616140317555161061"
    # wechatpy agrees on the same vector
    assert (
        WeChatCrypto(TOKEN, AES_KEY, CORP_ID).check_signature(
            VERIFY["msg_signature"], VERIFY["timestamp"], VERIFY["nonce"], VERIFY["echostr"]
        )
        == echo
    )


def test_published_message_vector(crypto: WeComCrypto) -> None:
    assert signature(TOKEN, POST_TS, POST_NONCE, POST_ENCRYPT) == POST_SIG
    msg = crypto.decrypt_message(POST_SIG, POST_TS, POST_NONCE, POST_BODY)
    assert msg == {
        "ToUserName": CORP_ID,
        "FromUserName": "mycreate",
        "CreateTime": "1409659813",
        "MsgType": "text",
        "Content": "hello",
        "MsgId": "4561255354251345929",
        "AgentID": "218",
    }


def test_interoperates_with_wechatpy_both_ways(crypto: WeComCrypto) -> None:
    theirs = WeChatCrypto(TOKEN, AES_KEY, CORP_ID)
    inner = "<xml><FromUserName><![CDATA[wang]]></FromUserName><Content><![CDATA[给C0001写一份建议书 ✓]]></Content></xml>"
    # wechatpy encrypts (as WeCom would) → we decrypt
    env = parse_xml(theirs.encrypt_message(inner, "nonce1", "1700000000"))
    got = crypto.decrypt_message(
        env["MsgSignature"],
        env["TimeStamp"],
        env["Nonce"],
        f"<xml><Encrypt><![CDATA[{env['Encrypt']}]]></Encrypt></xml>",
    )
    assert got == {"FromUserName": "wang", "Content": "给C0001写一份建议书 ✓"}
    # we encrypt → wechatpy decrypts; block padding to 32 bytes for every length
    for n in range(0, 70):
        text = "<xml>" + "你" * n + "</xml>"
        ours = parse_xml(crypto.encrypt_message(text, "n2", "1700000001"))
        plain = theirs.decrypt_message(
            f"<xml><Encrypt><![CDATA[{ours['Encrypt']}]]></Encrypt></xml>",
            ours["MsgSignature"],
            ours["TimeStamp"],
            ours["Nonce"],
        )
        assert plain == text


def test_tampering_is_rejected(crypto: WeComCrypto) -> None:
    with pytest.raises(Forbidden):
        crypto.verify_url(
            VERIFY["msg_signature"].replace("5", "6", 1),
            VERIFY["timestamp"],
            VERIFY["nonce"],
            VERIFY["echostr"],
        )
    with pytest.raises(Forbidden):
        crypto.decrypt_message(POST_SIG, str(int(POST_TS) + 1), POST_NONCE, POST_BODY)
    # a payload encrypted for another corp id (with a valid signature) is refused
    other = WeComCrypto(TOKEN, AES_KEY, "ww_other_corp")
    env = parse_xml(other.encrypt_message("<xml><Content>x</Content></xml>", "n", "1"))
    with pytest.raises(Forbidden, match="corp id"):
        crypto.decrypt_message(
            env["MsgSignature"], "1", "n", f"<xml><Encrypt>{env['Encrypt']}</Encrypt></xml>"
        )


def test_malformed_and_hostile_xml_is_invalid_input(crypto: WeComCrypto) -> None:
    for body in ("<xml><Encrypt>", "not xml", "<xml><ToUserName>x</ToUserName></xml>"):
        with pytest.raises(InvalidInput):
            crypto.decrypt_message(POST_SIG, POST_TS, POST_NONCE, body)
    xxe = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><Encrypt>&e;</Encrypt></xml>'
    with pytest.raises(InvalidInput):
        parse_xml(xxe)


def test_split_text_at_2048_bytes_on_character_boundaries() -> None:
    text = "你好" * 700 + "\n" + "abc😀" * 300
    parts = split_text(text)
    assert all(len(p.encode("utf-8")) <= 2048 for p in parts)
    assert "".join(parts).replace("\n", "") == text.replace("\n", "")  # nothing lost or cut mid-character
    assert split_text("x" * 2048) == ["x" * 2048] and len(split_text("x" * 2049)) == 2


def test_access_token_is_cached_and_refreshed_once_when_expired() -> None:
    import httpx

    from assistant.channels.wecom.client import WeComClient

    calls: list[str] = []
    state = {"token": 0, "reject": {"tok1"}}

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if request.url.path == "/cgi-bin/gettoken":
            state["token"] += 1  # type: ignore[operator]
            return httpx.Response(
                200, json={"errcode": 0, "access_token": f"tok{state['token']}", "expires_in": 7200}
            )
        token = request.url.params["access_token"]
        if token in state["reject"]:  # type: ignore[operator]
            return httpx.Response(200, json={"errcode": 42001, "errmsg": "access_token expired"})
        return httpx.Response(200, json={"errcode": 0, "errmsg": "ok"})

    client = WeComClient(
        base_url="http://wecom.test",
        corp_id="c",
        secret="s",
        agent_id=1,
        transport=httpx.MockTransport(handler),
    )
    assert client.send_text("u", "a") == 1  # tok1 rejected → refresh → tok2
    assert client.send_text("u", "b") == 1  # tok2 cached
    assert calls.count("/cgi-bin/gettoken") == 2
    assert calls.count("/cgi-bin/message/send") == 3
