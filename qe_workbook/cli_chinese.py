"""The command line's Chinese face: help screens and usage errors rendered from click's objects.

Nothing here reads click's English wording. Help screens are written from the parameters themselves
(names, types, defaults, required); usage errors are told from the exception's type and its fields
(the option name, the parameter, the value the person typed). Every command of a `ChineseGroup`
(and every command added to it later) gets this treatment.
"""

from __future__ import annotations

import inspect
import os
import stat
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from .suggest import did_you_mean
from .write_faults import output_guard

HELP_TEXT = "显示本帮助并退出。"


YES, NO = ("是", "y", "yes"), ("否", "n", "no")


def confirm(question: str) -> bool:
    """Ask a yes-or-no question in Chinese (click.confirm shows [y/N] and answers a slip in English):
    是 or y goes on, 否, n or just Enter does not; anything else is asked again."""
    while True:
        answer = click.prompt(f"{question}（是/否）", default="否", show_default=False, prompt_suffix="：", err=True)
        if answer.strip().lower() in YES + NO:
            return answer.strip().lower() in YES
        click.echo("请回答“是”或“否”。", err=True)


def type_label(kind: click.ParamType) -> str:
    """The Chinese placeholder for a value of this type (help screens, usage lines)."""
    if isinstance(kind, click.Choice):
        return "[" + "|".join(str(c) for c in kind.choices) + "]"
    if isinstance(kind, click.Path):
        return "文件" if not kind.dir_okay else "文件夹" if not kind.file_okay else "路径"
    if isinstance(kind, click.File):
        return "文件"
    if isinstance(kind, click.DateTime):
        return "日期"
    if isinstance(kind, (click.types.IntParamType, click.IntRange)):
        return "整数"
    if isinstance(kind, (click.types.FloatParamType, click.FloatRange)):
        return "数字"
    if isinstance(kind, click.types.BoolParamType):
        return "[是|否]"
    return "文字"


def metavar(param: click.Parameter) -> str:
    return param.metavar or type_label(param.type)


def argument_label(param: click.Parameter) -> str:
    label = metavar(param)
    return label if param.required else f"[{label}]"


def option_spec(param: click.Option) -> str:
    names = ", ".join([*param.opts, *param.secondary_opts])
    return names if param.is_flag or param.count else f"{names} {metavar(param)}"


def option_help(param: click.Option) -> str:
    extra = []
    default = param.default
    if param.show_default and not param.is_flag and default not in (None, "") and not callable(default):
        extra.append(f"默认：{default}")
    if param.required:
        extra.append("必填")
    help_text = param.help or ""
    return f"{help_text}  [{'；'.join(extra)}]" if extra else help_text


def date_example(formats: list[str]) -> str:
    sample = datetime(2022, 12, 31, 9, 30, 0)
    return " 或 ".join(sample.strftime(f) for f in formats)


def value_problem(kind: click.ParamType, value: Any) -> str:
    """Why the value typed for this type is not accepted, in Chinese (re-derived from the value)."""
    if isinstance(kind, click.Choice):
        choices = [str(c) for c in kind.choices]
        return f"“{value}”不是可选的值（可选：{'、'.join(choices)}）。{did_you_mean(str(value), choices)}"
    if isinstance(kind, click.DateTime):
        return f"“{value}”不是日期，请写成 {date_example(list(kind.formats))}。"
    if isinstance(kind, (click.types.IntParamType, click.types.FloatParamType)):
        bounds = (getattr(kind, "min", None), getattr(kind, "max", None))
        if any(b is not None for b in bounds):
            return f"“{value}”应为 {bounds[0] if bounds[0] is not None else '…'} 到 {bounds[1] if bounds[1] is not None else '…'} 之间的数。"
        return f"“{value}”不是{'整数' if isinstance(kind, click.types.IntParamType) else '数字'}。"
    if isinstance(kind, (click.Path, click.File)):
        return path_problem(kind, str(value))
    return f"“{value}”无效。"


def path_problem(kind: click.Path | click.File, value: str) -> str:
    path = Path(value)
    noun = type_label(kind)
    if not path.exists():
        return f"{noun}“{value}”不存在。"
    if isinstance(kind, click.Path):
        if not kind.file_okay and not path.is_dir():
            return f"“{value}”是文件，不是文件夹。"
        if not kind.dir_okay and path.is_dir():
            return f"“{value}”是文件夹，不是文件。"
    if not os.access(path, os.R_OK):
        return f"没有权限读取“{value}”。"
    if not os.access(path, os.W_OK):
        return f"没有权限写入“{value}”。"
    return f"无法使用“{value}”。"


class _ChineseValues:
    """Mixed into a parameter type: a rejected value is told in Chinese, from the value itself."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            converted = super().convert(value, param, ctx)  # type: ignore[misc]
        except click.BadParameter:
            raise click.BadParameter(value_problem(self, value), ctx=ctx, param=param) from None  # type: ignore[arg-type]
        if isinstance(self, click.Path) and converted is not None and not _plain_place(os.fsdecode(converted)):
            raise click.BadParameter(f"“{value}”不是普通文件或文件夹（是管道、设备或套接字），不能使用。", ctx=ctx, param=param)  # fmt: skip
        return converted


def _plain_place(path: str) -> bool:
    """Whether `path` is a regular file, a folder or nothing yet: never a FIFO (reading it would wait for a
    writer for ever), a device (/dev/zero reads without end) or a socket."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return True  # missing or unreachable: the type's own checks and the command say so
    return stat.S_ISREG(mode) or stat.S_ISDIR(mode)


_CHINESE_TYPES: dict[type, type] = {}


def chinese_type(kind: click.ParamType) -> click.ParamType:
    """A copy of the type (click shares some types) whose rejections are told in Chinese."""
    if isinstance(kind, (_ChineseValues, click.types.BoolParamType)):
        return kind
    cls = type(kind)
    if cls not in _CHINESE_TYPES:
        _CHINESE_TYPES[cls] = type(f"Chinese{cls.__name__}", (_ChineseValues, cls), {})
    copy: click.ParamType = object.__new__(_CHINESE_TYPES[cls])
    copy.__dict__.update(kind.__dict__)
    return copy


def param_label(param: click.Parameter | None) -> str:
    if isinstance(param, click.Option):
        return "选项 " + "/".join(param.opts)
    if param is not None:
        return argument_label(param).strip("[]")
    return "参数"


def usage_message(exc: click.UsageError) -> str:
    """A usage error told in Chinese from its type and fields, never from click's English text."""
    command = exc.ctx.command if exc.ctx else None
    if isinstance(exc, click.NoSuchOption):
        known = [o for p in (command.params if command else []) for o in (*p.opts, *p.secondary_opts)]
        hint = did_you_mean(exc.option_name, [*(exc.possibilities or []), *known])
        return f"没有选项 {exc.option_name}。{hint}"
    if isinstance(exc, click.MissingParameter):
        if isinstance(exc.param, click.Option):
            return f"缺少{param_label(exc.param)}（必填）。"
        return f"缺少{param_label(exc.param)}。"
    if isinstance(exc, click.BadParameter):
        hint = exc.param_hint if isinstance(exc.param_hint, str) and exc.param is None else ""
        label = (f"选项 {hint}" if hint.startswith("-") else hint) if hint else param_label(exc.param)
        return f"{label} 的值有误：{exc.message}"
    if isinstance(exc, click.BadOptionUsage):
        found = [p for p in (command.params if command else []) if exc.option_name in (*p.opts, *p.secondary_opts)]
        if found and isinstance(found[0], click.Option) and found[0].is_flag:
            return f"选项 {exc.option_name} 是开关，后面不要写值。"
        return f"选项 {exc.option_name} 后面需要写一个值。"
    if isinstance(exc, click.BadArgumentUsage):
        return "参数的个数不对。"
    return exc.message


def short_help(cmd: click.Command) -> str:
    """The first sentence of a command's help (click's own shortening only knows English full stops)."""
    text = cmd.short_help or inspect.cleandoc(cmd.help or "").partition("\f")[0]
    first = text.replace("\n", "").partition("。")
    return first[0] + first[1]


def output_place(ctx: click.Context) -> Path | None:
    """Where the command writes, as given by its --out option (None when it has none or it was left out)."""
    for param in ctx.command.params:
        value = ctx.params.get(param.name or "")
        if "--out" in param.opts and value is not None:
            return Path(value)
    return None


class ChineseFormatter(click.HelpFormatter):
    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")


class ChineseContext(click.Context):
    formatter_class = ChineseFormatter


class ChineseCommand(click.Command):
    """A click command whose help screen and usage errors are Chinese."""

    context_class = ChineseContext

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any) -> click.Context:  # fmt: skip
        for param in self.params:
            param.type = chinese_type(param.type)
        return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        """The command run so that a full disk or a forbidden place while writing leaves nothing half-written
        at its output place (`output_guard`)."""
        with output_guard(output_place(ctx)):
            return super().invoke(ctx)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args and self.no_args_is_help and not ctx.resilient_parsing:
            # As click 8.1 does; later versions raise an error carrying the help instead.
            click.echo(ctx.get_help(), color=ctx.color)
            ctx.exit()
        allowed = ctx.allow_extra_args
        ctx.allow_extra_args = True
        try:
            rest = super().parse_args(ctx, args)
        except click.UsageError as exc:
            if exc.ctx is None:  # the parser raises some errors without saying which command they came from
                exc.ctx = ctx
            raise
        finally:
            ctx.allow_extra_args = allowed
        if ctx.args and not allowed and not ctx.resilient_parsing:
            raise click.UsageError(f"多余的参数：{' '.join(ctx.args)}", ctx)
        return rest

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        pieces = ["[选项]"] if any(isinstance(p, click.Option) for p in self.get_params(ctx)) else []
        return pieces + [argument_label(p) for p in self.get_params(ctx) if isinstance(p, click.Argument)]

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), "用法：")

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self.format_usage(ctx, formatter)
        if self.help:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(inspect.cleandoc(self.help).partition("\f")[0])
        params = self.get_params(ctx)
        arguments = [
            (argument_label(p), str(getattr(p, "help", "")))
            for p in params
            if isinstance(p, click.Argument) and getattr(p, "help", None)
        ]
        options = [(option_spec(p), option_help(p)) for p in params if isinstance(p, click.Option) and not p.hidden]
        for title, rows in (("参数", arguments), ("选项", options), ("命令", self.command_rows(ctx))):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)

    def command_rows(self, ctx: click.Context) -> list[tuple[str, str]]:
        return []


class ChineseGroup(ChineseCommand, click.Group):
    """A click group whose commands (and sub-groups), present and future, are all Chinese."""

    command_class = ChineseCommand
    group_class = type

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        if type(cmd) is click.Command:
            cmd.__class__ = ChineseCommand
        elif type(cmd) is click.Group:
            cmd.__class__ = ChineseGroup
        super().add_command(cmd, name)

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return [*super().collect_usage_pieces(ctx), "命令 [参数]..."]

    def command_rows(self, ctx: click.Context) -> list[tuple[str, str]]:
        found = [(name, self.get_command(ctx, name)) for name in self.list_commands(ctx)]
        return [(name, short_help(cmd)) for name, cmd in found if cmd is not None and not cmd.hidden]

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None, list[str]]:  # fmt: skip
        name = args[0]
        if self.get_command(ctx, name) is None and not name.startswith("-") and not ctx.resilient_parsing:
            hint = did_you_mean(name, self.list_commands(ctx))
            raise click.UsageError(f"没有命令 {name}。{hint}", ctx)
        return super().resolve_command(ctx, args)
