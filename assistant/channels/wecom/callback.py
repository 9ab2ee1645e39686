"""``/channels/wecom/callback``: WeCom's URL verification (GET) and message push (POST). No API key: the
request is authenticated by its msg_signature instead.

WeCom waits 5 s and retries 3 times, so POST replies an empty body (WeCom's "no passive reply") at once and the work happens in the
background; the MsgId is recorded first (``channel_messages``) so a retry is answered and ignored.
Bad signature → 403, malformed XML → 400, and nothing is recorded or processed in either case.
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
log = get_logger("wecom")


def _crypto(request: Request) -> WeComCrypto:
    crypto: WeComCrypto | None = request.app.state.ctx.wecom_crypto
    if crypto is None:
        raise ConfigurationError(
            "WeCom channel is not configured",
            hint="set WEALTHDESK_WECOM_TOKEN, WEALTHDESK_WECOM_AES_KEY and WEALTHDESK_WECOM_CORP_ID",
        )
    return crypto


@router.get("/callback", response_class=PlainTextResponse, summary="WeCom URL verification")
def verify_url(
    request: Request,
    msg_signature: str = Query(...),
    timestamp: str = Query(...),
    nonce: str = Query(...),
    echostr: str = Query(...),
) -> PlainTextResponse:
    return PlainTextResponse(_crypto(request).verify_url(msg_signature, timestamp, nonce, echostr))


@router.post("/callback", response_class=PlainTextResponse, summary="WeCom message push (encrypted XML)")
async def receive(
    request: Request,
    msg_signature: str = Query(...),
    timestamp: str = Query(...),
    nonce: str = Query(...),
) -> PlainTextResponse:
    ctx = request.app.state.ctx
    body = await request.body()
    msg = _crypto(request).decrypt_message(msg_signature, timestamp, nonce, body)
    # Events have no MsgId; sender + time + event identifies their retries.
    msg_id = msg.get("MsgId") or f"{msg.get('FromUserName')}:{msg.get('CreateTime')}:{msg.get('Event', '')}"
    if not remember_message(ctx.engine, "wecom", msg_id):
        log.info("duplicate wecom message ignored", extra={"msg_id": msg_id})
        return PlainTextResponse(ACK)
    if ctx.wecom is None:
        log.warning("wecom message received but sending is not configured", extra={"msg_id": msg_id})
    else:
        ctx.wecom.dispatch(msg)
    return PlainTextResponse(ACK)
