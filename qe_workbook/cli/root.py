"""The `qe` group itself; every command module adds its commands to it."""

from __future__ import annotations

import click

from .. import __version__
from ..cli_chinese import ChineseGroup


@click.group(cls=ChineseGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="qe", message="%(prog)s 版本 %(version)s", help="显示版本号并退出。")
def main() -> None:
    """政府质量工作考核评价表工具：生成评价表、汇总评分、计算等级、输出反馈。"""
