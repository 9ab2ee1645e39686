"""Process one decrypted WeCom message in the background and answer through the message-send API.

Message in (decrypted)::

    {"ToUserName": "ww…", "FromUserName": "zhangsan", "MsgType": "text", "Content": "给C0001写一份建议书",
     "MsgId": "4561255354251345929", "AgentID": "1000002", "CreateTime": "1409659813"}

- WeCom user id → RM user (``users.wecom_user_id``); unknown users get a polite refusal and nothing else.
- "写/生成/出 … 建议书 / proposal" with a client id → a report job (same queue, access check and
  persistence as ``POST /api/reports``), then the .docx is sent as a file message.
- Anything else goes to the agent (session per WeCom user), the answer is sent as text (split at 2048
  bytes); files the agent produced are sent as file messages.

Every reply goes into the outbox (``WeComOutbox``): stored in the database, then sent by its worker with
retries. The agent runs once per MsgId (the callback deduplicates); a failed send is retried, not lost.
"""

from __future__ import annotations

import re
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from assistant.api.security import caller_of
from assistant.api.services import Services, as_dict
from assistant.channels.openai_compat import render_footer
from assistant.channels.wecom.client import WeComClient
from assistant.channels.wecom.outbox import WeComOutbox
from assistant.jobs import JobQueue, ReportRequest
from assistant.logging import get_logger
from core.errors import WealthDeskError
from datastore.repositories import jobs as jobs_repo
from datastore.repositories.users import user_for_wecom

log = get_logger("wecom")

REFUSAL = "您好，您的企业微信账号尚未开通 WealthDesk 理财助手权限，请联系管理员开通（wealthdesk users add … --wecom-user）。"
TEXT_ONLY = "目前只支持文字消息，请直接输入您的问题。"
FAILED = "抱歉，处理您的请求时出错了，请稍后再试。"
_REPORT_RE = re.compile(
    r"(写|生成|出|做|准备|draft|write).{0,12}(建议书|方案书|配置建议|proposal)", re.IGNORECASE
)
_CLIENT_RE = re.compile(r"\bC\d{4,6}\b|(?<![A-Za-z0-9])C\d{4,6}(?![0-9])")


def report_request(text: str) -> str | None:
    """The client id when ``text`` asks for a proposal document, else None.

    >>> report_request("给C0001写一份建议书")
    'C0001'
    >>> report_request("C0001的组合穿透一下") is None
    True
    """
    if not _REPORT_RE.search(text):
        return None
    m = _CLIENT_RE.search(text)
    return m.group() if m else None


class WeComChannel:
    def __init__(
        self,
        *,
        engine: Engine,
        settings: Any,
        services: Services,
        client: WeComClient,
        jobs: JobQueue,
        workers: int = 4,
        report_timeout_s: float = 600.0,
    ) -> None:
        self.engine, self.settings, self.services, self.client, self.jobs = (
            engine,
            settings,
            services,
            client,
            jobs,
        )
        self.report_timeout_s = report_timeout_s
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="wecom")
        self.outbox = WeComOutbox.from_settings(engine, client, settings)

    def start(self) -> None:
        self.outbox.start()

    def dispatch(self, msg: dict[str, str]) -> Future[None]:
        return self._pool.submit(self._safe_handle, msg)

    def stop(self, *, wait: bool = True) -> None:
        self._pool.shutdown(wait=wait)
        self.outbox.stop(wait=wait)
        self.client.close()

    # ------------------------------------------------------------------ processing
    def _safe_handle(self, msg: dict[str, str]) -> None:
        to = msg.get("FromUserName", "")
        try:
            self.handle(msg)
        except WealthDeskError as exc:
            log.info("wecom request refused", extra={"error": exc.code, "msg_id": msg.get("MsgId")})
            self._try_send(to, exc.message, msg.get("MsgId"))
        except Exception:  # a crash must still answer the user and must not kill the worker
            log.exception("wecom message failed", extra={"msg_id": msg.get("MsgId")})
            self._try_send(to, FAILED, msg.get("MsgId"))

    def _try_send(self, to: str, text: str, msg_id: str | None) -> None:
        try:
            if to:
                self.outbox.text(to, text, msg_id=msg_id)
        except Exception:
            log.exception("wecom reply could not be stored")

    def handle(self, msg: dict[str, str]) -> None:
        wid = msg.get("FromUserName", "")
        mid = msg.get("MsgId")
        if msg.get("MsgType") == "event":
            return  # enter_agent, subscribe, …: nothing to answer
        user = user_for_wecom(self.engine, wid)  # active users only: a deactivated user is a stranger
        if user is None:
            self.outbox.text(wid, REFUSAL, msg_id=mid)
            return
        if msg.get("MsgType") != "text":
            self.outbox.text(wid, TEXT_ONLY, msg_id=mid)
            return
        caller = caller_of(user)
        if caller.role == "client_channel":  # not a person; add_user refuses the link, this is belt and braces
            self.outbox.text(wid, REFUSAL, msg_id=mid)
            return
        text = (msg.get("Content") or "").strip()
        client_id = report_request(text)
        if client_id:
            self._deliver_proposal(wid, caller, client_id, mid)
            return
        ans = as_dict(
            self.services.ask(
                text,
                caller=caller,
                engine=self.engine,
                settings=self.settings,
                session_id=f"{user.id}:wecom"[:64],
            )
        )
        self.outbox.text(wid, (ans.get("answer") or "") + render_footer(ans), msg_id=mid)
        for path in ans.get("attachments") or []:
            if Path(path).is_file():
                self.outbox.file(wid, Path(path), msg_id=mid)

    def _deliver_proposal(self, wid: str, caller: Any, client_id: str, mid: str | None) -> None:
        job, _ = self.jobs.submit(
            caller,
            ReportRequest(type="proposal", client_id=client_id, company=None, scenario=None, lang="zh"),
        )
        self.outbox.text(wid, f"收到，正在为 {client_id} 生成投资建议书，完成后发送文件给您。", msg_id=mid)
        deadline = time.monotonic() + self.report_timeout_s
        while time.monotonic() < deadline:
            current = jobs_repo.get_job(self.engine, job.id)
            if current is None:
                break
            if current.status == "done" and current.file_path:
                self.outbox.file(wid, Path(current.file_path), msg_id=mid)
                return
            if current.status in ("failed", "cancelled"):
                self.outbox.text(wid, f"建议书生成失败：{_error_message(current.error)}", msg_id=mid)
                return
            time.sleep(0.3)
        self.outbox.text(wid, f"建议书仍在生成中，可稍后在系统中查看（任务 {job.id}）。", msg_id=mid)


def _error_message(raw: str | None) -> str:
    import json

    try:
        return str(json.loads(raw or "{}").get("message") or raw)
    except ValueError:
        return raw or "unknown error"
