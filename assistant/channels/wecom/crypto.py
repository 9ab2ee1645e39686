"""WeCom (企业微信) callback crypto, per the developer document "加解密方案说明" (90968).

- signature: ``msg_signature = sha1("".join(sorted([token, timestamp, nonce, encrypt])))`` (hex)
- key: ``AESKey = base64decode(EncodingAESKey + "=")`` (32 bytes), AES-256-CBC, IV = ``AESKey[:16]``
- padding: PKCS#7 to a multiple of **32** bytes (not AES's 16)
- plaintext: ``random(16) + len(msg) as 4-byte big-endian + msg + receiveid`` (receiveid = the corp id)

>>> c = WeComCrypto("QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7")
>>> c.decrypt(c.encrypt("<xml>hi</xml>"))
'<xml>hi</xml>'
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import struct
import time
from xml.etree.ElementTree import Element

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from core.errors import Forbidden, InvalidInput

BLOCK = 32  # WeCom pads to 32-byte blocks
BAD_SIGNATURE = "WeCom signature check failed (msg_signature does not match token/timestamp/nonce/payload)"


def check_timestamp(timestamp: str, window_s: int | None, *, now: float | None = None) -> None:
    """Refuse a callback whose (signed) timestamp is more than ``window_s`` seconds from now: a captured,
    correctly signed request cannot be replayed later. ``None``/0 turns the check off."""
    if not window_s:
        return
    try:
        ts = int(timestamp)
    except (TypeError, ValueError):
        raise InvalidInput("timestamp must be Unix seconds", field="timestamp") from None
    skew = (time.time() if now is None else now) - ts
    if abs(skew) > window_s:
        raise Forbidden(
            f"WeCom timestamp is {int(abs(skew))} s {'old' if skew > 0 else 'in the future'}, outside the "
            f"±{window_s} s window (a replayed request, or this server's clock is wrong)",
            field="timestamp",
            hint="check NTP on this server; the window is WEALTHDESK_WECOM_TIMESTAMP_WINDOW_S",
        )


def signature(token: str, timestamp: str, nonce: str, encrypt: str) -> str:
    """WeCom's msg_signature: SHA-1 hex of the four strings sorted and joined."""
    return hashlib.sha1("".join(sorted([token, timestamp, nonce, encrypt])).encode("utf-8")).hexdigest()


def parse_xml(body: bytes | str) -> dict[str, str]:
    """Flat ``<xml><Tag>text</Tag>…</xml>`` → ``{"Tag": "text"}``. DTDs/entities are refused (XXE, billion laughs)."""
    try:
        root: Element = SafeET.fromstring(body, forbid_dtd=True)
    except (SafeET.ParseError, DefusedXmlException, ValueError) as exc:
        raise InvalidInput(
            f"malformed XML: {exc}", field="body", hint="WeCom posts <xml><Encrypt>…</Encrypt></xml>"
        ) from exc
    return {child.tag: (child.text or "") for child in root}


class WeComCrypto:
    """Verify, decrypt and encrypt WeCom callback payloads for one app (token, EncodingAESKey, corp id)."""

    def __init__(self, token: str, encoding_aes_key: str, corp_id: str) -> None:
        if len(encoding_aes_key) != 43:
            raise InvalidInput("EncodingAESKey must be 43 characters", field="WEALTHDESK_WECOM_AES_KEY")
        try:
            self.key = base64.b64decode(encoding_aes_key + "=", validate=True)
        except binascii.Error as exc:
            raise InvalidInput("EncodingAESKey is not base64", field="WEALTHDESK_WECOM_AES_KEY") from exc
        if len(self.key) != 32:
            raise InvalidInput("EncodingAESKey must decode to 32 bytes", field="WEALTHDESK_WECOM_AES_KEY")
        self.token = token
        self.corp_id = corp_id

    # ----------------------------------------------------------------- signature
    def check_signature(self, msg_signature: str, timestamp: str, nonce: str, encrypt: str) -> None:
        expected = signature(self.token, timestamp, nonce, encrypt)
        if not hmac.compare_digest(expected, (msg_signature or "").lower()):
            raise Forbidden(BAD_SIGNATURE)

    # ----------------------------------------------------------------- AES
    def _cipher(self) -> Cipher:
        return Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16]))

    def decrypt(self, encrypt: str) -> str:
        """Base64 ciphertext → the message text; checks padding, length and the receiveid (corp id)."""
        try:
            raw = base64.b64decode(encrypt, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise InvalidInput("Encrypt is not base64", field="Encrypt") from exc
        if not raw or len(raw) % 16:
            raise InvalidInput("Encrypt has a bad length", field="Encrypt")
        d = self._cipher().decryptor()
        plain = d.update(raw) + d.finalize()
        pad = plain[-1]
        if not 1 <= pad <= BLOCK or plain[-pad:] != bytes([pad]) * pad:
            raise Forbidden("WeCom payload does not decrypt with this EncodingAESKey")
        plain = plain[:-pad]
        if len(plain) < 20:
            raise InvalidInput("decrypted payload too short", field="Encrypt")
        (n,) = struct.unpack(">I", plain[16:20])
        msg, receive_id = plain[20 : 20 + n], plain[20 + n :]
        if len(msg) != n:
            raise InvalidInput("decrypted payload length mismatch", field="Encrypt")
        if receive_id.decode("utf-8", "replace") != self.corp_id:
            raise Forbidden(
                "WeCom payload is for another corp id (receiveid does not match WEALTHDESK_WECOM_CORP_ID)"
            )
        return msg.decode("utf-8")

    def encrypt(self, msg: str, *, random16: bytes | None = None) -> str:
        """The message text → base64 ciphertext (used for passive replies and by tests playing WeCom)."""
        body = msg.encode("utf-8")
        plain = (
            (random16 or os.urandom(16)) + struct.pack(">I", len(body)) + body + self.corp_id.encode("utf-8")
        )
        pad = BLOCK - len(plain) % BLOCK
        plain += bytes([pad]) * pad
        e = self._cipher().encryptor()
        return base64.b64encode(e.update(plain) + e.finalize()).decode("ascii")

    # ----------------------------------------------------------------- callback flows
    def verify_url(
        self, msg_signature: str, timestamp: str, nonce: str, echostr: str, *, window_s: int | None = None
    ) -> str:
        """GET URL verification: check the signature over echostr (and the timestamp window) and return its
        decrypted text."""
        self.check_signature(msg_signature, timestamp, nonce, echostr)
        check_timestamp(timestamp, window_s)
        return self.decrypt(echostr)

    def decrypt_message(
        self, msg_signature: str, timestamp: str, nonce: str, body: bytes | str, *, window_s: int | None = None
    ) -> dict[str, str]:
        """POST body ``<xml><Encrypt>…</Encrypt>…</xml>`` → the inner message fields, e.g.
        ``{"ToUserName": "wx58…", "FromUserName": "zhangsan", "MsgType": "text", "Content": "hello", "MsgId": "456…"}``.

        Order: parse the envelope, check the signature, then the timestamp window, and only then decrypt.
        """
        outer = parse_xml(body)
        encrypt = outer.get("Encrypt")
        if not encrypt:
            raise InvalidInput(
                "no <Encrypt> element", field="Encrypt", hint="enable 安全模式 in the WeCom console"
            )
        self.check_signature(msg_signature, timestamp, nonce, encrypt)
        check_timestamp(timestamp, window_s)
        return parse_xml(self.decrypt(encrypt))

    def encrypt_message(self, reply_xml: str, nonce: str, timestamp: str | None = None) -> str:
        """Wrap a reply (or, in tests, an inbound message) as WeCom's signed envelope XML."""
        ts = timestamp or str(int(time.time()))
        enc = self.encrypt(reply_xml)
        sig = signature(self.token, ts, nonce, enc)
        return (
            f"<xml><Encrypt><![CDATA[{enc}]]></Encrypt><MsgSignature><![CDATA[{sig}]]></MsgSignature>"
            f"<TimeStamp>{ts}</TimeStamp><Nonce><![CDATA[{nonce}]]></Nonce></xml>"
        )
