"""The messages services give users, by stable key, in Chinese (the source language).

A service refuses input with :meth:`ServiceError.of(key, **params)
<desktop_app.services.errors.ServiceError.of>`: ``str(err)`` is the Chinese message with the
parameters filled in (for logs and the Chinese UI), and ``err.key`` / ``err.params`` let the
UI show it in the user's language (:func:`ui.error_text.error_text` translates the template
in the ``ServiceError`` context of the Qt translation files, then fills the parameters).

The core imports no Qt, but Qt's ``pyside6-lupdate`` reads sources as text:
:func:`QT_TRANSLATE_NOOP` below is an identity function with Qt's name, so that lupdate finds
every template (``scripts/build_translations.py`` includes this module).
"""

from __future__ import annotations

__all__ = ["MESSAGES", "QT_TRANSLATE_NOOP"]


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark ``text`` for translation in ``context``; returns it unchanged."""
    return text


MESSAGES: dict[str, str] = {
    "commitment.not_found": QT_TRANSLATE_NOOP(
        "ServiceError",
        "找不到该信用承诺（可能已被删除）。请刷新列表后重试。",
    ),
    "commitment.incomplete": QT_TRANSLATE_NOOP(
        "ServiceError",
        "承诺记录 {record} 的数据不完整：{exc}",
    ),
    "commitment.applicant_missing": QT_TRANSLATE_NOOP(
        "ServiceError",
        "请填写法定代表人或委托代理人的姓名。",
    ),
    "commitment.applicant_role_invalid": QT_TRANSLATE_NOOP(
        "ServiceError",
        "签署人身份“{applicant_role}”无效，应为：{roles}。",
    ),
    "commitment.phone_invalid": QT_TRANSLATE_NOOP(
        "ServiceError",
        "联系电话“{phone}”格式不正确，请只填写数字（可含“-”）。",
    ),
    "commitment.materials_missing": QT_TRANSLATE_NOOP(
        "ServiceError",
        "容缺受理须逐项列明所缺材料（名称和提交形式），请补充后再提交。",
    ),
    "commitment.tolerance_days_missing": QT_TRANSLATE_NOOP(
        "ServiceError",
        "容缺受理须写明补齐材料的期限（1至{most}个工作日），请填写后再提交。",
    ),
    "repair.target_missing": QT_TRANSLATE_NOOP(
        "ServiceError",
        "所选记录不在该主体的公共信用记录中（可能已修复、已撤销或已过公示期），请重新选择。",
    ),
    "repair.not_repairable": QT_TRANSLATE_NOOP(
        "ServiceError",
        "只有失信记录可以申请信用修复；对其他记录有异议的，请提出异议申请。",
    ),
    "repair.in_progress": QT_TRANSLATE_NOOP(
        "ServiceError",
        "该失信记录已有一份正在办理的信用修复申请，请等待作出记录的单位决定。",
    ),
    "repair.too_early": QT_TRANSLATE_NOOP(
        "ServiceError",
        "“{title}”尚未届满最短公示期，最早可于 {earliest} 申请信用修复，目前不予受理。",
    ),
    "repair.fields_missing": QT_TRANSLATE_NOOP(
        "ServiceError",
        "请填写申请人姓名和申请理由（整改及履行义务情况）。",
    ),
    "repair.not_found": QT_TRANSLATE_NOOP(
        "ServiceError",
        "本机没有这份申请（可能尚未同步），请同步后重试。",
    ),
    "repair.letter_invalid": QT_TRANSLATE_NOOP(
        "ServiceError",
        "无法生成文书：{message}",
    ),
    "objection.in_progress": QT_TRANSLATE_NOOP(
        "ServiceError",
        "该记录已有一份正在核查的异议申请，请等待作出记录的单位答复。",
    ),
    "objection.fields_missing": QT_TRANSLATE_NOOP(
        "ServiceError",
        "请填写异议人姓名和异议内容（认为记录有误之处）。",
    ),
    "commitment.tolerance_refused": QT_TRANSLATE_NOOP(
        "ServiceError",
        "该主体目前不能适用容缺受理：{reasons}请改为告知承诺等其他方式，或在材料齐全后正常受理。",
    ),
    "commitment.uscc_invalid": QT_TRANSLATE_NOOP(
        "ServiceError",
        "统一社会信用代码有误：\n{message}",
    ),
    "commitment.notice_only_tolerance": QT_TRANSLATE_NOOP(
        "ServiceError",
        "只有容缺受理的承诺需要出具一次性告知书。",
    ),
    "commitment.materials_only_tolerance": QT_TRANSLATE_NOOP(
        "ServiceError",
        "只有容缺受理需要填写所缺材料和补齐期限。请清空这两项，或将承诺类型改为“容缺受理”。",
    ),
    "commitment.material_name_empty": QT_TRANSLATE_NOOP(
        "ServiceError",
        "所缺材料的名称不能为空，请补充或删除该行。",
    ),
    "commitment.material_repeated": QT_TRANSLATE_NOOP(
        "ServiceError",
        "所缺材料“{name}”重复填写，请删除重复的一行。",
    ),
    "commitment.material_form_missing": QT_TRANSLATE_NOOP(
        "ServiceError",
        "请写明所缺材料“{name}”的提交形式（如{forms}）。",
    ),
    "commitment.entity_unknown": QT_TRANSLATE_NOOP(
        "ServiceError",
        "本机的主体名录中没有统一社会信用代码为 {uscc} 的主体。请核对代码，或同步后重新查询。",
    ),
    "commitment.matter_unknown": QT_TRANSLATE_NOOP(
        "ServiceError",
        "承诺事项清单中没有所选事项（可能已被平台调整）。请同步后重新选择办理事项。",
    ),
    "commitment.kind_not_allowed": QT_TRANSLATE_NOOP(
        "ServiceError",
        "“{matter}”不能采用“{kind}”方式办理；该事项可用的承诺类型为：{allowed}。",
    ),
    "commitment.duplicate_open": QT_TRANSLATE_NOOP(
        "ServiceError",
        "该主体已有一份尚未办结的“{matter}”承诺（{label}，编号 CN-{number}）。请继续办理该承诺，或先将其撤回后再新建。",  # noqa: E501 - one literal, for lupdate
    ),
    "education.phone_invalid": QT_TRANSLATE_NOOP(
        "ServiceError",
        "联系电话“{phone}”格式不正确：请填写11位手机号码（如 13812345678）或带区号的固定电话（如 0355-2021234）；不愿提供可留空。",  # noqa: E501 - one literal, for lupdate
    ),
    "education.field_missing": QT_TRANSLATE_NOOP(
        "ServiceError",
        "请填写{label}。",
    ),
    "education.field_too_long": QT_TRANSLATE_NOOP(
        "ServiceError",
        "{label}过长（{length}个字），请控制在{most}个字以内。",
    ),
    "education.time_invalid": QT_TRANSLATE_NOOP(
        "ServiceError",
        "{label}应为“时:分”格式，例如 09:30。",
    ),
    "education.end_before_start": QT_TRANSLATE_NOOP(
        "ServiceError",
        "结束时间（{end}）应晚于开始时间（{start}），请更正。",
    ),
    "education.too_many_materials": QT_TRANSLATE_NOOP(
        "ServiceError",
        "培训材料最多登记{most}项。",
    ),
    "education.capacity_invalid": QT_TRANSLATE_NOOP(
        "ServiceError",
        "容纳人数应为正整数；不限人数时请留空。",
    ),
    "education.id_length": QT_TRANSLATE_NOOP(
        "ServiceError",
        "身份证号码应为18位（前17位为数字，最后一位为数字或X），实际为{length}位，请核对后重新填写；不愿提供可留空。",
    ),
    "education.id_birth_date": QT_TRANSLATE_NOOP(
        "ServiceError",
        "身份证号码第7–14位（出生日期）无效，请核对后重新填写。",
    ),
    "education.id_check_digit": QT_TRANSLATE_NOOP(
        "ServiceError",
        "身份证号码校验位不符（第18位应为“{expected}”），请逐位核对证件后重新填写。",
    ),
    "education.date_invalid": QT_TRANSLATE_NOOP(
        "ServiceError",
        "请填写培训日期，格式为 YYYY-MM-DD，例如 2026-11-27。",
    ),
    "education.month_invalid": QT_TRANSLATE_NOOP(
        "ServiceError",
        "月份应为 YYYY-MM 格式，例如 2026-11。",
    ),
    "education.role_missing": QT_TRANSLATE_NOOP(
        "ServiceError",
        "请选择参训人身份：{roles}。",
    ),
    "education.uscc_missing": QT_TRANSLATE_NOOP(
        "ServiceError",
        "请输入统一社会信用代码或扫描营业执照二维码。",
    ),
    "education.session_not_found": QT_TRANSLATE_NOOP(
        "ServiceError",
        "找不到该培训场次（可能已被删除）。请刷新列表后重试。",
    ),
    "education.capacity_below_checked_in": QT_TRANSLATE_NOOP(
        "ServiceError",
        "本场已有{count}人签到，容纳人数不能少于{count}人。",
    ),
    "education.session_has_attendees": QT_TRANSLATE_NOOP(
        "ServiceError",
        "本场培训已有{count}人签到，不能删除。场次信息有误请直接修改；确需删除，请先移除全部签到记录。",
    ),
    "education.session_full": QT_TRANSLATE_NOOP(
        "ServiceError",
        "本场培训已达容纳人数（{capacity}人）。如场地允许，请先在场次信息中调整“容纳人数”，或为其安排其他场次。",
    ),
    "education.uscc_invalid": QT_TRANSLATE_NOOP(
        "ServiceError",
        "统一社会信用代码有误：\n{message}{hint}",
    ),
    "education.entity_missing": QT_TRANSLATE_NOOP(
        "ServiceError",
        "请输入统一社会信用代码或扫描营业执照二维码；尚未登记的主体请填写主体名称。",
    ),
    "education.already_checked_in": QT_TRANSLATE_NOOP(
        "ServiceError",
        "{name}（{entity}）已于{at}在本场签到，无需重复签到。",
    ),
    "entity.not_cached": QT_TRANSLATE_NOOP(
        "ServiceError",
        "该主体不在本地缓存中。请同步后重试。",
    ),
    "form.not_found": QT_TRANSLATE_NOOP(
        "ServiceError",
        "找不到该{label}（可能已被删除）。请刷新列表后重试。",
    ),
    "form.exists": QT_TRANSLATE_NOOP(
        "ServiceError",
        "该记录已存在，不能重复创建。",
    ),
    "form.update_missing": QT_TRANSLATE_NOOP(
        "ServiceError",
        "找不到要修改的记录（可能已被删除）。请刷新列表后重试。",
    ),
    "form.delete_missing": QT_TRANSLATE_NOOP(
        "ServiceError",
        "找不到要删除的记录（可能已被删除）。请刷新列表后重试。",
    ),
    "inspection.task_missing": QT_TRANSLATE_NOOP(
        "ServiceError",
        "本机没有检查任务“{task_id}”。请先联网同步或进行离线准备，下载分配给您的检查任务。",
    ),
    "inspection.checklist_missing": QT_TRANSLATE_NOOP(
        "ServiceError",
        "本机没有检查表“{checklist_id}”。请先联网同步或进行离线准备，下载任务所需的检查表。",
    ),
    "inspection.result_not_found": QT_TRANSLATE_NOOP(
        "ServiceError",
        "找不到该检查结果（可能已被删除）。请刷新列表后重试。",
    ),
    "inspection.result_incomplete": QT_TRANSLATE_NOOP(
        "ServiceError",
        "检查结果 {record} 的数据不完整：缺少检查日期。",
    ),
    "inspection.interview_kind_invalid": QT_TRANSLATE_NOOP(
        "ServiceError",
        "约谈类型“{kind}”无效，应为：{kinds}。",
    ),
    "inspection.interview_date_future": QT_TRANSLATE_NOOP(
        "ServiceError",
        "约谈日期不能晚于今天，请核对后重新填写。",
    ),
    "inspection.interview_participants_missing": QT_TRANSLATE_NOOP(
        "ServiceError",
        "请填写参加约谈的人员（约谈人和被约谈人）。",
    ),
    "inspection.interview_record_missing": QT_TRANSLATE_NOOP(
        "ServiceError",
        "请填写约谈记录（约谈的问题、对方的说明和整改要求）。",
    ),
    "inspection.notice_not_needed": QT_TRANSLATE_NOOP(
        "ServiceError",
        "处理结果为“{outcome}”的检查不需要出具整改通知书；只有责令整改和失信警示需要。",
    ),
    "inspection.scan_empty": QT_TRANSLATE_NOOP(
        "ServiceError",
        "“{filename}”是空文件，请重新扫描。",
    ),
    "inspection.photo_not_held": QT_TRANSLATE_NOOP(
        "ServiceError",
        "本机没有该照片的文件。请联网后进行离线准备，下载检查记录的附件。",
    ),
    "inspection.photo_missing": QT_TRANSLATE_NOOP(
        "ServiceError",
        "该检查结果中没有这张照片（可能已删除）。请刷新后重试。",
    ),
    "inspection.photo_is_evidence": QT_TRANSLATE_NOOP(
        "ServiceError",
        "该检查结果已提交平台，现场照片作为检查证据不能删除。如照片有误，请使用“更正”说明情况。",
    ),
    "inspection.date_future": QT_TRANSLATE_NOOP(
        "ServiceError",
        "检查日期不能晚于今天，请核对后重新填写。",
    ),
    "inspection.amend_reason_missing": QT_TRANSLATE_NOOP(
        "ServiceError",
        "请填写更正理由（至少{least}个字），例如“检查日期录入错误”。",
    ),
    "inspection.finding_empty": QT_TRANSLATE_NOOP(
        "ServiceError",
        "第{number}个问题的描述为空，请填写问题描述或删除该行。",
    ),
    "inspection.finding_severity_invalid": QT_TRANSLATE_NOOP(
        "ServiceError",
        "第{number}个问题的严重程度“{severity}”无效，应为：{known}。",
    ),
    "inspection.result_submitted": QT_TRANSLATE_NOOP(
        "ServiceError",
        "该检查结果已提交平台，不能直接修改。如需更正，请使用“更正”并写明更正理由。",
    ),
    "inspection.verdict_not_verification": QT_TRANSLATE_NOOP(
        "ServiceError",
        "只有“承诺核查”任务需要填写核查结论；本任务是日常检查，请不要选择核查结论。",
    ),
    "inspection.verdict_locked": QT_TRANSLATE_NOOP(
        "ServiceError",
        "核查结论已经记录，不能更改或撤销。如结论有误，请联系监管人员通过异议程序更正。",
    ),
    "inspection.verdict_invalid": QT_TRANSLATE_NOOP(
        "ServiceError",
        "核查结论只能是“承诺属实”或“承诺不实”，情节只能是轻微、一般或严重，请重新选择。",
    ),
    "inspection.verdict_evidence": QT_TRANSLATE_NOOP(
        "ServiceError",
        "认定承诺不实，须在检查结论中写明核查发现的事实和证据。",
    ),
    "inspection.interview_warning_mismatch": QT_TRANSLATE_NOOP(
        "ServiceError",
        "所跟进的失信警示不在本机，或不是该任务主体的警示。请先同步，再从“逾期未整改”列表记录约谈。",
    ),
    "inspection.interview_missing": QT_TRANSLATE_NOOP(
        "ServiceError",
        "找不到该约谈记录（可能已被删除）。请刷新后重试。",
    ),
    "inspection.interview_incomplete": QT_TRANSLATE_NOOP(
        "ServiceError",
        "该约谈记录缺少约谈类型、参加人员或约谈内容，无法打印。",
    ),
    "measure.unknown": QT_TRANSLATE_NOOP(
        "ServiceError",
        "该主体当前不在规定此项措施的名单内（名单可能已到期或已更新），请刷新主体信息后再记录。",
    ),
    "inspection.amend_not_submitted": QT_TRANSLATE_NOOP(
        "ServiceError",
        "该检查结果尚未提交平台，可直接修改保存，无需更正。",
    ),
    "inspection.amend_task_changed": QT_TRANSLATE_NOOP(
        "ServiceError",
        "更正不能改变检查任务；如检查任务有误，请联系科室负责人。",
    ),
    "inspection.amend_reinspection_changed": QT_TRANSLATE_NOOP(
        "ServiceError",
        "更正不能改变所复查的检查结果。",
    ),
    "inspection.amend_unchanged": QT_TRANSLATE_NOOP(
        "ServiceError",
        "更正后的内容与原记录相同，无需更正。",
    ),
    "inspection.reinspected_not_found": QT_TRANSLATE_NOOP(
        "ServiceError",
        "找不到被复查的检查结果，或它不是同一被检查单位的记录。请重新选择。",
    ),
    "report.entity_not_cached": QT_TRANSLATE_NOOP(
        "ServiceError",
        "该主体不在本地缓存中。请同步后重新查询。",
    ),
    "report.uscc_invalid": QT_TRANSLATE_NOOP(
        "ServiceError",
        "统一社会信用代码“{uscc}”格式不正确，无法出具可核验的报告。请先核对并更正主体登记信息。",
    ),
    "report.signer_unavailable": QT_TRANSLATE_NOOP(
        "ServiceError",
        "本机无法为报告签名（设备密钥不可用）。请重新启动工作台后重试，或联系管理员。",
    ),
    "report.not_found": QT_TRANSLATE_NOOP(
        "ServiceError",
        "本机没有编号为 {report_no} 的报告。请核对报告编号。",
    ),
    "report.archive_damaged": QT_TRANSLATE_NOOP(
        "ServiceError",
        "报告 {report_no} 的存档已损坏，无法补打。请重新出具报告，并联系管理员检查本机数据。",
    ),
    "sync.delete_refused_status": QT_TRANSLATE_NOOP(
        "ServiceError",
        "平台上的这份承诺已是“{status}”状态，只有草稿可以删除，平台不会接受删除。如需作废，请保留平台记录后将其撤回。",
    ),
    "sync.delete_refused_referrers": QT_TRANSLATE_NOOP(
        "ServiceError",
        "已有{count}条{label}引用这条记录，平台不会接受删除。请保留平台记录。",
    ),
    "sync.restore_refused_parent_gone": QT_TRANSLATE_NOOP(
        "ServiceError",
        "这条{label}所属的{parent_label}已不存在，平台不会接受恢复。请接受删除，必要时在现有{parent_label}中重新登记。",
    ),
    "sync.local_refused": QT_TRANSLATE_NOOP(
        "ServiceError",
        "平台不会接受保留本机的内容：{reason}",
    ),
}
"""Message key → Chinese template with ``{name}`` parameters."""
