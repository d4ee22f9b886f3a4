"""`qe mail fetch` and `qe mail chase`: the office mailbox."""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..choices import SECURITY, SEND_LOG, SETTINGS_FILE
from ..cli_chinese import confirm
from ..console import echo_json, echo_problems, format_table
from ..visible import visible
from .common import json_option, open_rubric, out_option, rubric_option
from .root import main

if TYPE_CHECKING:
    from ..mail.server import MailServer


@main.group("mail")
def mail_group() -> None:
    """办公邮箱：收取回收的评价表和材料（记录收到时间），向未报送或有问题的部门发催报邮件。"""


def mail_password(what: str) -> str:
    """The password from QE_MAIL_PASSWORD, else asked for (never an option, never written down)."""
    return os.environ.get("QE_MAIL_PASSWORD") or click.prompt(f"{what}的密码（授权码）", hide_input=True, err=True)


def mail_server(host: str, user: str, port: int | None, security: str, **extra: Any) -> MailServer:
    from ..mail.server import MailServer

    server = MailServer(host, user, port, security, **extra)
    if security == "none" and not server.is_local:
        raise click.BadParameter(
            "不加密（none）只能用于本机上的服务器，请改用 ssl 或 starttls。", param_hint="--security"
        )
    if security == "none":
        click.echo("提醒：连接不加密，仅适用于本机上的服务器。", err=True)
    return server


def use_settings(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
    """Defaults for the mail options from the settings file (options on the command line win)."""
    path = value or (Path(SETTINGS_FILE) if Path(SETTINGS_FILE).is_file() else None)
    if path is None:
        return
    from ..mail.server import read_settings

    try:
        ctx.default_map = {**(ctx.default_map or {}), **read_settings(path)}
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--settings") from None


settings_option = click.option(
    "--settings", type=click.Path(dir_okay=False, path_type=Path), is_eager=True, expose_value=False,
    callback=use_settings, help=f"邮箱设置文件（默认：当前目录的 {SETTINGS_FILE}，有则读取；不能写密码）。",
)  # fmt: skip


@mail_group.command("fetch")
@settings_option
@click.option("--server", "host", required=True, help="收信（IMAP）服务器地址（见使用说明“邮箱设置”一节）。")
@click.option("--port", type=int, default=None, help="端口（默认 SSL 为 993，其他为 143）。")
@click.option("--security", type=click.Choice(SECURITY), default="ssl", show_default=True, help="加密方式。")
@click.option("--user", required=True, help="邮箱账号（完整的邮箱地址）。")
@click.option("--folder", default="INBOX", show_default=True, help="收取的邮箱文件夹（收件箱为 INBOX）。")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), default=None, help="只收取该日期及以后收到的邮件。")
@click.option("--cafile", type=click.Path(exists=True, dir_okay=False), default=None,
              help="单位自建邮件服务器的根证书（一般不需要）。")  # fmt: skip
@rubric_option
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="回收文件夹：每封邮件的附件存入一个子文件夹，并写入收件记录。")  # fmt: skip
@json_option
def mail_fetch_cmd(host: str, port: int | None, security: str, user: str, folder: str, since: datetime | None,
                   cafile: str | None, rubric_path: Path | None, out_dir: Path, as_json: bool) -> None:  # fmt: skip
    """收取邮箱中的附件（不删除、不移动、不标记邮件），记录每个文件的收到时间；可反复运行，只收新邮件。"""
    from ..mail.fetch import fetch_json, fetch_mail

    rb = open_rubric(rubric_path)
    server = mail_server(host, user, port, security, folder=folder, cafile=cafile)
    password = mail_password(user)
    with click.progressbar(length=0, label="收取邮件", file=sys.stderr) as bar:

        def total(n: int) -> None:
            bar.length = n

        report = fetch_mail(server, password, out_dir, rb, since=since.date() if since else None, on_total=total,
                            on_message=lambda _saved: bar.update(1))  # fmt: skip
    if as_json:
        echo_json(fetch_json(report))
    else:
        echo_problems(report.problems)
        click.echo(report.summary())
    sys.exit(0 if report.clean else 1)


@mail_group.command("chase")
@settings_option
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@rubric_option
@click.option("--forms", "forms_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("out/forms"),
              show_default=True, help="qe generate 生成空白评价表的文件夹（需重新填写时随邮件附上）。")  # fmt: skip
@click.option("--packages", "packages_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("out/units"),
              show_default=True, help="qe units generate 生成县区材料包的文件夹（县区需补报时附上模板）。")  # fmt: skip
@out_option(Path("out/chase"), "催报邮件草稿的输出位置（每次新建一个以时间命名的子文件夹）。")
@click.option("--from", "sender", default=None, help="发件地址（默认为考核细则中市质强办的邮箱）。")
@click.option("--send", is_flag=True, help="确认后通过发信（SMTP）服务器直接发送，并写入发送记录。")
@click.option("--smtp-server", default=None, help="发信（SMTP）服务器地址（使用 --send 时必填）。")
@click.option("--smtp-port", type=int, default=None, help="端口（默认 SSL 为 465，STARTTLS 为 587）。")
@click.option("--smtp-security", type=click.Choice(SECURITY), default="ssl", show_default=True, help="加密方式。")
@click.option("--smtp-user", default=None, help="发信邮箱账号（完整的邮箱地址）。")
@click.option("--yes", is_flag=True, help="不再询问，直接发送（供脚本使用）。")
def mail_chase_cmd(run_dir: Path, rubric_path: Path | None, forms_dir: Path, packages_dir: Path, out_dir: Path, sender: str | None,
                   send: bool, smtp_server: str | None, smtp_port: int | None, smtp_security: str,
                   smtp_user: str | None, yes: bool) -> None:  # fmt: skip
    """为未报送、未采用或需更正的评价部门（汇总结果）或县区（县区材料检查结果）写好催报邮件草稿；可选直接发送。"""
    from ..mail.chase import run_chase, send_chases

    rb = open_rubric(rubric_path)
    if send and not (smtp_server and smtp_user):
        raise click.UsageError("使用 --send 时必须同时指定 --smtp-server 和 --smtp-user。")
    server = (
        mail_server(smtp_server, smtp_user, smtp_port, smtp_security) if send and smtp_server and smtp_user else None
    )
    report = run_chase(run_dir, rb, out_dir, forms_dir=forms_dir, packages_dir=packages_dir, sender=sender or smtp_user)
    echo_problems(report.problems, err=True)
    if not report.chases:
        click.echo("没有需要催报的评价部门。" if report.folder is None and not report.problems else "未生成催报邮件。")
        sys.exit(1 if report.problems else 0)
    rows = [[c.recipient.name, c.reason, str(len(c.lines)), "是" if c.attachments else "", c.to or "（无）"]
            for c in report.chases]  # fmt: skip
    click.echo(format_table(["收件单位", "原因", "问题数", "附空白表", "收件地址"], rows))
    click.echo(f"已写好 {len(report.chases)} 封催报邮件草稿，位于 {visible(str(report.folder))}")
    if server is None or smtp_user is None or report.folder is None:
        sys.exit(1)
    count = sum(1 for c in report.chases if c.to)
    if not yes and not confirm(f"确认通过 {server.host} 向 {count} 个部门发送催报邮件？"):
        click.echo("未发送。", err=True)
        sys.exit(1)
    sent, problems = send_chases(report.chases, server, mail_password(smtp_user), report.folder)
    echo_problems(problems, err=True)
    click.echo(f"已发送 {len(sent)} 封；发送记录：{visible(str(report.folder / SEND_LOG))}")
    sys.exit(1)
