"""What a problem's fix says on the page: the catalogue's fix names a command or an option (`qe collect`,
`--key`) for the command line; the page says its own action instead. Keyed by problem code, in one place; the
command line's messages are not changed.

A problem shown on the page goes through `page_message`: the catalogue's fix at the end of the message is
replaced by the page's, and a template's own words about a command (`无法按 --prefer newest 选出…`) by the page's."""

from __future__ import annotations

from typing import Any

from ..problems import CATALOGUE, Problem
from ..rubric.places import placed_message
from ..visible import visible

RUN_CHOICE = "请在本页选择一次正常结束的汇总结果（以时间命名）。"
EXPORTED_RUBRIC = "“考核细则”页导出的考核细则工作簿"
ADD_BY_HAND = "在“回收的评价表”页加入，并填写收到时间（渠道选“邮件”）"

PAGE_FIXES: dict[str, str] = {
    "RUBRIC_IS_WORKBOOK": "考核细则工作簿在新建工作区时选择，或在“下一年度”页生成；本页检查无误后即作为本年度的考核细则。",
    "RUBRIC_TOO_LARGE": f"请确认选择的是{EXPORTED_RUBRIC}。",
    "RUBRIC_TOO_DEEP": f"请确认选择的是{EXPORTED_RUBRIC}。",
    "RUBRIC_SCHEMA": "请按使用说明中“考核细则格式”一节修改所指位置的字段。",
    "RUBRIC_RULE_FIELD": "请按该计分规则的要求填写（见使用说明“计分规则”一节）。",
    "RUBRIC_XLSX_UNREADABLE": f"请确认文件是{EXPORTED_RUBRIC}，并在表格软件中保存为 .xlsx。",
    "RUBRIC_XLSX_SHEET_MISSING": f"请不要删除或重命名工作表；可以从{EXPORTED_RUBRIC}中把该工作表复制回来。",
    "RUBRIC_XLSX_HEADER": f"请把第 1 行的表头改回原样（可对照{EXPORTED_RUBRIC}）。",
    "RUBRIC_XLSX_UNKNOWN_LABEL": f"请不要修改“项目”列；可对照{EXPORTED_RUBRIC}改回。",
    "RUBRIC_XLSX_ROW_MISSING": f"请从{EXPORTED_RUBRIC}中把这一行复制回来并填写。",
    "RUBRIC_OUTPUT_EXISTS": "同名的工作簿已经存在，本页不会覆盖它；请先下载核对已有的工作簿。",
    "COMPARE_RUN_INVALID": RUN_CHOICE,
    "KEY_MISSING": "工作区中没有签名密钥：请把生成评价表时的密钥放回工作区，或按纸质的密钥备份单恢复（见使用说明）。",
    "KEY_UNREADABLE": "请检查工作区中密钥文件的访问权限。",
    "KEY_INVALID": "请使用生成评价表时的原密钥文件，不要手工修改；密钥损坏时可按纸质的密钥备份单恢复。",
    "KEY_EXISTS": "工作区已有签名密钥，本页不会覆盖它；覆盖会使用它签名的评价表无法核验。",
    "KEY_PROBABLY_WRONG": "工作区中的密钥很可能不是生成评价表时用的那一个：请把那个密钥放回工作区（丢失时可按纸质的密钥备份单恢复），"
    "再在“汇总评分”页重新汇总；在此之前不要使用本次结果。",
    "RUN_FOLDER_SKIPPED": "无需处理。",
    "OUTPUT_INSIDE_RETURNED": "无需处理：结果文件夹会被自动跳过，不影响汇总。",
    "SUBMISSION_NEWEST_UNDECIDED": "请与该部门确认以哪一份为准，在“回收的评价表”页选定采用那一份（或把其他的搁置），再重新汇总。",
    "CORRECTION_APPLIED": "无需处理；更正前后的得分可在“结果与文书”页对照两次汇总的结果。",
    "CORRECTION_UNKNOWN": "请按“考核细则”页列出的名称选择评价部门和被考核单位。",
    "CORRECTION_NO_REFERENCE": "需要列出现采用值时，请先在“汇总评分”页汇总一次。",
    "REGISTER_UNREADABLE": "请从备份恢复该文件；恢复之前汇总无法识别旧版评价表，“生成评价表”页也不会改写它。",
    "FORMS_FOLDER_OCCUPIED": "重新下发新版请用“生成评价表”页的“重新生成全部评价表”：另建一个文件夹，并记入评价表生成登记，汇总时自动识别旧版。",
    "RECEIPT_RECORD_UNREADABLE": "请检查文件是否完整；收件记录由本程序在上传文件和收取邮件时写入，请不要手工修改。",
    "RECEIPT_COLUMNS_MISSING": "请用本程序生成的收件登记表，保留表头各列；在网页上加入的文件，收到时间已自动记录。",
    "MAIL_INSECURE": "请在收信服务器的设置中把加密方式改为加密连接或先明文后加密；不加密只适用于本机上的服务器。",
    "MAIL_CONNECT_FAILED": "请核对服务器的设置中的地址、端口和加密方式（见使用说明“邮箱设置与密码”一节），并检查网络。",
    "MAIL_LOGIN_FAILED": "126、163、QQ 等邮箱须先在网页版邮箱的“设置”中开启收取和发送邮件的服务，并使用生成的“授权码”代替登录密码"
    "（见使用说明“邮箱设置与密码”一节）。",
    "MAIL_CONNECTION_LOST": "已保存的邮件不会丢失，也不会重复保存；网络恢复后在本页再收取一次即可从中断处继续。",
    "MAIL_SAVE_FAILED": "请检查磁盘空间和文件夹权限后在本页再收取一次；已记录的邮件不会重复保存。",
    # Not commands, but a folder and a register the clerk of the page adds files to through the returns page.
    "MAIL_MESSAGE_TOO_LARGE": f"请在网页版邮箱中查看该邮件，手工下载附件后{ADD_BY_HAND}。",
    "MAIL_CLOUD_ATTACHMENT": f"请在网页版邮箱中打开该邮件下载附件（链接有有效期），{ADD_BY_HAND}。",
    "MAIL_ARCHIVE_UNSUPPORTED": f"请手工解压后{ADD_BY_HAND}，或请对方直接发送文件。",
    "MAIL_MESSAGE_SET_ASIDE": f"请在网页版邮箱中打开该邮件，手工下载其中的附件后{ADD_BY_HAND}；或请对方重新发送（直接附上文件，不要转发或多层嵌套）。",
    "MAIL_FOLDER_MISSING": "请在收信服务器的设置中填写邮箱里实际存在的文件夹名称（收取收件箱时不填）。",
    "APPROVE_NO_BASIS": "请在“依据”一栏写明依据，例如会议纪要的名称和文号。",
    "RUN_DIFFERS_FROM_APPROVED": "本次结果及其文件均为初稿，不能代替已审定的结果；如需采用，请在“审定”页按程序重新审定。",
    "ADJUST_UNREADABLE": "请在“得分核对与会议调整”页逐条记入会议调整，或用该页的会议调整表填写后保存为 .xlsx。",
    "APPEAL_UNREADABLE": "请用“得分核对与会议调整”页的异议登记表登记，保存为 .xlsx 后重新上传。",
    "FEEDBACK_WORDING_UNREADABLE": "请使用“反馈意见的文字”页导出的反馈修改稿，保存为 .xlsx 后重新上传。",
    "FEEDBACK_WORDING_UNKNOWN": "请不要改动“被考核单位”“项目编号”两列；在“反馈意见的文字”页重新导出，把修改的文字复制过去。",
    "FEEDBACK_WORDING_STALE": "请在“反馈意见的文字”页重新导出反馈修改稿，核对标为“原文已变”的行后重新上传。",
    "FEEDBACK_WORDING_NO_ROW": "请在“反馈意见的文字”页重新导出反馈修改稿，为新增的项目填写反馈表述后重新上传。",
    "RECTIFY_PREVIOUS_UNREADABLE": "请先在上一年度工作区的“整改台账”页汇总整改情况。",
    "RECTIFY_PREVIOUS_NONE": "如需写入，请先在上一年度工作区的“整改台账”页汇总整改情况。",
    "ARCHIVE_NOT_APPROVED": "请先在“审定”页记录审定稿，再归档。",
    "ARCHIVE_OUT_NOT_EMPTY": "本页每次归档都另建一个新的文件夹；请刷新页面后再归档。",
    "ARCHIVE_INPUT_MISSING": "请确认汇总时回收文件夹中的文件未被移走（搁置的文件可在“回收的评价表”页恢复）。",
    "ARCHIVE_NO_SUMS": "请在“归档”页选择本页归档的档案。",
    "CHASE_RUN_INVALID": RUN_CHOICE,
    "CHASE_FORM_MISSING": "请先在“生成评价表”页生成评价表（县区材料请在“县区材料”页生成材料包），再写催报邮件。",
    "REPORT_RUN_INVALID": RUN_CHOICE,
    "RUN_FOLDER_TEMPORARY": "请选择一次正常结束的汇总结果；临时文件夹在下次汇总时自动清除。",
    "RUN_FOLDER_UNMARKED": RUN_CHOICE,
    "RUN_NOT_OFFICIAL": "请按上面的诊断处理（用正确的密钥或补齐评价表）后在“汇总评分”页重新汇总，再使用新的结果。",
    "REPORT_RUBRIC_MISMATCH": "请用现在的考核细则在“汇总评分”页重新汇总，再使用新的结果。",
    "SELF_SCORES_UNREADABLE": "请在“汇总评分”页重新选择一次县区材料检查的结果，不要修改其中的文件。",
    "SELF_SCORES_OTHER_RUBRIC": "请在“县区材料”页用现在的考核细则重新检查，再选择新的检查结果汇总。",
    "SELF_SCORES_NOT_ASKED": "需要对比时，请在考核细则中设置“县区自评打分”为“是”；否则汇总时不必选择县区材料检查结果。",
    "SELF_SCORES_UNIT_MISSING": "请查看“县区材料”页的材料报送情况；补齐后重新检查，再选择新的检查结果汇总。",
    "UNIT_ARRIVAL_UNKNOWN": "请在“县区材料”页加入材料时填写收到时间（收取的邮件自动记录），然后重新检查。",
    "TEMPLATE_UNKNOWN_FIELD": "请对照内置模板附带的字段说明改正字段名（字段名区分全角半角，要与说明中的完全一致）。",
    "TEMPLATE_TABLE_LOOP": "表格循环由三行组成：含“{%tr for … %}”的行、要重复的行、含“{%tr endfor %}”的行；"
    "请恢复被删除的行（可从内置模板中复制）。",
    "DOCTOR_WORKSPACE_MISSING": "请先建立该文件夹。",
    "DOCTOR_KEY_MISSING": "已有密钥的，把它复制到工作区中所示的位置，或按纸质的密钥备份单恢复；新的年度在新建工作区时自动生成密钥。",
    "DOCTOR_CHECK_FAILED": "请先按上面的提示处理缺少或无法载入的程序包，再重新打开本页。",
    "WORKSPACE_EXISTS": "直接打开该工作区即可；另一个年度请在“下一年度”页用新的空文件夹新建工作区。",
}

# A template's own words about a command, and what the page says instead (the rest of the message is kept).
PAGE_WORDS: dict[str, tuple[str, str]] = {
    "SUBMISSION_NEWEST_UNDECIDED": ("无法按 --prefer newest 选出最新的一份", "无法按收到时间选出最新的一份"),
    "RUN_FOLDER_UNMARKED": ("不是 qe collect 生成的汇总结果文件夹", "不是汇总生成的结果文件夹"),
}


def page_text(code: str, message: str) -> str:
    """A problem's message as the page says it (see the module's docstring)."""
    kind = CATALOGUE.get(code)
    fix = PAGE_FIXES.get(code)
    if kind is not None and fix is not None:
        said = visible(kind.fix)
        if message.endswith(said):
            message = message[: len(message) - len(said)] + fix
    words = PAGE_WORDS.get(code)
    if words is not None:
        message = message.replace(*words)
    return message


def page_message(p: Problem | dict[str, Any]) -> str:
    """A problem, or one read back from a run's problems.json, as the page says it (a place in rubric.json told
    in the workbook's words)."""
    if isinstance(p, Problem):
        return page_text(p.code, placed_message(p))
    return page_text(str(p.get("code", "")), str(p.get("message", "")))
