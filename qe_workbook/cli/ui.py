"""`qe ui`: the office's local page for the year's work (the web framework is imported inside the command)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .root import main


@main.command("ui")
@click.option("--workspace", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="工作区文件夹（一个年度的考核细则、密钥、评价表、回收文件和汇总结果）。")  # fmt: skip
@click.option("--port", type=click.IntRange(0, 65535), default=0,
              help="端口（默认 0：自动选一个空闲端口）。")  # fmt: skip
@click.option("--no-browser", is_flag=True, help="不打开浏览器，只在第一行显示完整地址（含访问令牌）。")
def ui_cmd(workspace: Path, port: int, no_browser: bool) -> None:
    """在本机浏览器中打开考核工作页面（只接受本机 127.0.0.1 访问）；关闭本窗口即结束。"""
    from ..ui.serve import PortUnavailable, serve

    try:
        serve(workspace, port, open_browser=not no_browser, say=lambda line: click.echo(line))
    except KeyboardInterrupt:
        click.echo("已结束。", err=True)
    except PortUnavailable as exc:
        click.echo(f"错误：无法在本机端口 {port} 上启动（{exc}）；请换一个端口，或不指定 --port（自动选择空闲端口）。", err=True)  # fmt: skip
        sys.exit(2)
