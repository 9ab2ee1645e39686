"""``/channels/wecom/callback``: WeCom's URL verification (GET) and message push (POST). No API key: the
request is authenticated by its msg_signature instead.

Checks, in order, each refusing before the next step runs: body size (``WECOM_MAX_BODY_BYTES``, by the
body-limit middleware: 413 before the body is read), envelope XML (400), signature (403), timestamp within
``wecom_timestamp_window_s`` of now (403: a replayed request), then decryption.

WeCom waits 5 s and retries 3 times, so POST replies an empty body (WeCom's "no passive reply") at once and the
work happens in the background. The MsgId is recorded first (``channel_messages``), so a retry is answered and
ignored: the agent runs once per message. Replies go through the outbox (stored, then sent with retries),
so a failed ``message/send`` is retried rather than lost.
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import PlainTextResponse

from assistant.channels.wecom.crypto import WeComCrypto
from assistant.logging import get_logger
from core.errors import ConfigurationError
from datastore.repositories.jobs import remember_message

router = APIRouter(prefix="/channels/wecom", tags=["wecom"])
ACK = ""  # an empty 200 tells WeCom "received, no passive reply"; the answer goes out via message/send
WECOM_MAX_BODY_BYTES = 64 * 1024  # a pushed message is a few KB of XML; nothing legitimate comes near this
log = get_logger("wecom")


def _crypto(request: Request) -> WeComCrypto:
    crypto: WeComCrypto | None = request.app.state.ctx.wecom_crypto
    if crypto is None:
        raise ConfigurationError(
            "WeCom channel is not configured",
            hint="set WEALTHDESK_WECOM_TOKEN, WEALTHDESK_WECOM_AES_KEY and WEALTHDESK_WECOM_CORP_ID",
        )
    return crypto


def _window(request: Request) -> int:
    return int(request.app.state.ctx.settings.wecom_timestamp_window_s)


@router.get("/callback", response_class=PlainTextResponse, summary="WeCom URL verification")
def verify_url(
    request: Request,
    msg_signature: str = Query(...),
    timestamp: str = Query(...),
    nonce: str = Query(...),
    echostr: str = Query(...),
) -> PlainTextResponse:
    return PlainTextResponse(
        _crypto(request).verify_url(msg_signature, timestamp, nonce, echostr, window_s=_window(request))
    )


@router.post("/callback", response_class=PlainTextResponse, summary="WeCom message push (encrypted XML)")
async def receive(
    request: Request,
    msg_signature: str = Query(...),
    timestamp: str = Query(...),
    nonce: str = Query(...),
) -> PlainTextResponse:
    ctx = request.app.state.ctx
    crypto = _crypto(request)
    body = await request.body()  # bounded by the body-limit middleware
    msg = crypto.decrypt_message(msg_signature, timestamp, nonce, body, window_s=_window(request))
    # Events have no MsgId; sender + time + event identifies their retries.
    msg_id = msg.get("MsgId") or f"{msg.get('FromUserName')}:{msg.get('CreateTime')}:{msg.get('Event', '')}"
    if ctx.wecom is None:
        # Do not record it: once sending is configured, WeCom's retry of this message is processed.
        log.warning("wecom message received but sending is not configured", extra={"msg_id": msg_id})
        return PlainTextResponse(ACK)
    if not remember_message(ctx.engine, "wecom", msg_id):
        log.info("duplicate wecom message ignored", extra={"msg_id": msg_id})
        return PlainTextResponse(ACK)
    ctx.wecom.dispatch(msg)
    return PlainTextResponse(ACK)
