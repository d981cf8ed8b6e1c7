"""信用承诺事项清单 (the commitment catalog of the demo): matters, legal bases, letter templates.

Pure data and functions, shared by the platform (its demo seed, :mod:`platform_server.demo_catalog`)
and the client (the local demo, and filling a letter template in when a commitment is taken).

The legal bases cited are real, public national instruments, but the mapping of matters to
commitment kinds and the extra commitment items are demonstration choices: a city publishes its
own 《可开展信用承诺的行政许可事项清单》, which replaces these by import. Every record says so
in its ``note`` field.

A catalog record is ``(matter id, fields)``; the fields are those the platform serves in the
``commitment_catalog`` collection: ``domain``, ``matter``, ``legal_basis``,
``required_materials``, ``allowed_kinds`` (:class:`CommitmentKind` codes), ``authority``,
``commitment_items``, ``letter_template`` and ``note``.

The demo's checklists (检查表, :data:`CHECKLISTS`) live here too, for the same reason: the
platform seeds them and the client's ``--demo`` caches them as a pull would. A checklist record is
``(checklist id, fields)`` with ``domain``, ``title``, ``legal_basis``, ``items`` (each ``no``,
``item``, ``legal_basis``) and ``note``; :data:`DEMO_CHECKLIST` is the one the demo draw uses.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from desktop_app.domain.commitments import CommitmentKind

NOTE = "演示数据：事项、依据与条款为示例，正式使用前请以本地公布的事项清单和现行法规文本为准。"

# Kinds are the domain's codes (desktop_app.domain.commitments.CommitmentKind), so the client
# can check a letter's kind against the catalog without translating labels.
NOTIFY = CommitmentKind.NOTIFY.value  # 告知承诺（审批替代型）
TOLERANCE = CommitmentKind.TOLERANCE.value  # 容缺受理
SELF_DISCIPLINE = CommitmentKind.SELF_DISCIPLINE.value  # 行业自律型
REPAIR = CommitmentKind.REPAIR.value  # 信用修复型
VOLUNTARY = CommitmentKind.VOLUNTARY.value  # 主动型

STANDARD_ITEMS = (
    "所提交的申请材料真实、合法、有效，复印件与原件一致；",
    "严格遵守国家法律、法规、规章和政策规定，依法依规经营，近三年内无违法违规行为；",
    "自觉加强诚信自律，依法诚信经营，自觉接受行政管理部门的监督检查和社会监督；",
    "如违背承诺，愿意承担相应的法律责任，接受相关部门依法依规实施的惩戒；",
    "同意将本承诺书在“信用中国（山西长治）”网站等渠道公开，接受社会监督；",
)


def letter_template(matter: str, extra: tuple[str, ...] = ()) -> str:
    """The standard letter text of a matter: header, the typical items, the matter's own ones.

    Placeholders in braces are filled in by the client when the letter is taken.
    """
    items = (*STANDARD_ITEMS, *extra)
    lines = [
        "信用承诺书",
        "",
        f"本单位（本人）{{entity_name}}（统一社会信用代码：{{uscc}}）在办理“{matter}”事项时，"
        "已知悉该事项的审批条件、所需材料及作出虚假承诺应承担的法律责任，现郑重承诺：",
        *(f"{i}. {text}" for i, text in enumerate(items, start=1)),
        "",
        "承诺单位（盖章）/承诺人（签字）：{signer}",
        "法定代表人或委托代理人：{representative}",
        "承诺日期：{signed_on}",
    ]
    return "\n".join(lines)


def _matter(
    matter_id: str,
    domain: str,
    matter: str,
    legal_basis: str,
    materials: tuple[str, ...],
    kinds: tuple[str, ...],
    authority: str,
    extra: tuple[str, ...] = (),
    verify_working_days: int = 20,
) -> tuple[str, dict[str, Any]]:
    return matter_id, {
        "domain": domain,
        "matter": matter,
        "legal_basis": legal_basis,
        "required_materials": list(materials),
        "allowed_kinds": list(kinds),
        "authority": authority,
        "commitment_items": [*STANDARD_ITEMS, *extra],
        "letter_template": letter_template(matter, extra),
        "verify_working_days": verify_working_days,
        "note": NOTE,
    }


CATALOG: tuple[tuple[str, dict[str, Any]], ...] = (
    _matter(
        "cc-tax-01", "纳税", "涉税证明事项告知承诺",
        "《国家税务总局关于全面推行税务证明事项告知承诺制的公告》（国家税务总局公告2021年第21号）",
        ("税务证明事项告知承诺书", "经办人身份证件"),
        (NOTIFY,), "国家税务总局长治市税务局",
    ),
    _matter(
        "cc-tax-02", "纳税", "纳税信用修复申请",
        "《国家税务总局关于纳税信用修复有关事项的公告》（国家税务总局公告2019年第37号）",
        ("纳税信用修复申请表", "失信行为已纠正的证明材料"),
        (REPAIR,), "国家税务总局长治市税务局",
        ("已纠正失信行为并履行相关义务，修复后一年内不再发生同类失信行为；",),
    ),
    _matter(
        "cc-power-01", "电力", "低压非居民用户用电报装",
        "《国家发展改革委 国家能源局关于全面提升“获得电力”服务水平 持续优化用电营商环境的意见》"
        "（发改能源规〔2020〕1479号）",
        ("用电申请书", "主体资格证明", "用电地址产权证明或租赁合同"),
        (NOTIFY, TOLERANCE), "国网长治供电公司",
        ("在承诺期限内补齐用电地址产权证明材料，逾期未补齐的同意终止办理；",),
    ),
    _matter(
        "cc-sci-01", "科研", "科研项目申报诚信承诺",
        "《科研失信行为调查处理规则》（国科发监〔2022〕221号）",
        ("项目申报书", "科研诚信承诺书"),
        (VOLUNTARY, SELF_DISCIPLINE), "长治市科学技术局",
        ("申报材料中不存在抄袭、剽窃、伪造、篡改等科研失信行为；",),
    ),
    _matter(
        "cc-acct-01", "会计", "代理记账资格审批",
        "《代理记账管理办法》（财政部令第80号公布，财政部令第98号修改）",
        ("代理记账资格申请表", "专职从业人员会计资格证明", "办公场所使用证明"),
        (NOTIFY, TOLERANCE), "长治市行政审批服务管理局",
        ("主管代理记账业务的负责人具有会计师以上专业技术职务资格或从事会计工作不少于三年；",),
    ),
    _matter(
        "cc-reg-01", "注册登记", "市场主体设立登记（住所申报承诺）",
        "《中华人民共和国市场主体登记管理条例》（国务院令第746号）",
        ("登记申请书", "章程或合伙协议", "住所（经营场所）申报承诺"),
        (NOTIFY,), "长治市行政审批服务管理局",
        ("申报的住所（经营场所）真实存在且可以正常联系；",),
    ),
    _matter(
        "cc-reg-02", "注册登记", "简易注销登记（全体投资人承诺）",
        "《中华人民共和国市场主体登记管理条例》（国务院令第746号）第三十三条",
        ("简易注销全体投资人承诺书", "注销登记申请书"),
        (NOTIFY,), "长治市行政审批服务管理局",
        ("本企业未发生债权债务或已将债权债务清偿完结，不存在未结清的清偿费用、职工工资等；",),
    ),
    _matter(
        "cc-food-01", "食品药品", "食品经营许可",
        "《食品经营许可和备案管理办法》（国家市场监督管理总局令第78号）",
        ("食品经营许可申请书", "食品安全管理制度", "经营场所平面布局图"),
        (NOTIFY, TOLERANCE), "长治市行政审批服务管理局",
        ("经营场所、设备设施、人员和制度符合食品安全法律法规和标准要求；",),
    ),
    _matter(
        "cc-food-02", "食品药品", "第二类医疗器械经营备案",
        "《医疗器械经营监督管理办法》（国家市场监督管理总局令第54号）",
        ("第二类医疗器械经营备案表", "经营场所和库房地址证明"),
        (NOTIFY,), "长治市市场监督管理局",
    ),
    _matter(
        "cc-cert-01", "证明事项", "证明事项告知承诺",
        "《国务院办公厅关于全面推行证明事项和涉企经营许可事项告知承诺制的指导意见》"
        "（国办发〔2020〕42号）",
        ("证明事项告知承诺书",),
        (NOTIFY,), "长治市各政务服务窗口",
        ("所承诺的事实真实，如有虚假，同意按规定认定为虚假承诺并承担相应责任；",),
    ),
    _matter(
        "cc-estate-01", "不动产登记", "不动产权属证书遗失补办",
        "《不动产登记暂行条例》（国务院令第656号）；《不动产登记暂行条例实施细则》（国土资源部令第63号）",
        ("补证申请书", "遗失声明", "申请人身份证明"),
        (NOTIFY, TOLERANCE), "长治市不动产登记中心",
        ("所述权属证书确已遗失，未用于抵押或其他处分；",),
    ),
)  # fmt: skip


# --- checklists (检查表) of the demo: items with their legal basis -------------------------


def _item(no: int, item: str, basis: str) -> dict[str, Any]:
    return {"no": no, "item": item, "legal_basis": basis}


CHECKLISTS: tuple[tuple[str, dict[str, Any]], ...] = (
    (
        "CL-PUBLIC-01",
        {
            "domain": "企业信息公示",
            "title": "企业公示信息抽查检查表",
            "legal_basis": "《企业信息公示暂行条例》（国务院令第654号）",
            "items": [
                _item(1, "是否按时报送并公示上一年度年度报告", "《企业信息公示暂行条例》第八条"),
                _item(2, "年度报告公示信息是否真实、及时", "《企业信息公示暂行条例》第三条"),
                _item(3, "登记的住所（经营场所）能否联系",
                      "《中华人民共和国市场主体登记管理条例》"),
            ],
            "note": NOTE,
        },
    ),
    (
        "CL-FOOD-01",
        {
            "domain": "食品药品",
            "title": "食品经营者日常监督检查表",
            "legal_basis": "《食品生产经营监督检查管理办法》（国家市场监督管理总局令第49号）",
            "items": [
                _item(1, "从业人员是否取得健康证明", "《中华人民共和国食品安全法》第四十五条"),
                _item(2, "是否查验供货者许可证和合格证明并建立进货查验记录",
                      "《中华人民共和国食品安全法》第五十三条"),
                _item(3, "是否按要求贮存食品并及时清理变质或超过保质期的食品",
                      "《中华人民共和国食品安全法》第五十四条"),
                _item(4, "餐具、饮具是否洗净、消毒", "《中华人民共和国食品安全法》第三十三条"),
            ],
            "note": NOTE,
        },
    ),
    (
        "CL-SE-01",
        {
            "domain": "特种设备",
            "title": "特种设备使用单位监督检查表",
            "legal_basis": "《中华人民共和国特种设备安全法》",
            "items": [
                _item(1, "特种设备是否在投入使用前或投入使用后三十日内办理使用登记",
                      "《中华人民共和国特种设备安全法》第三十三条"),
                _item(2, "是否在检验合格有效期届满前一个月提出定期检验要求",
                      "《中华人民共和国特种设备安全法》第四十条"),
                _item(3, "作业人员是否取得相应资格", "《中华人民共和国特种设备安全法》第十四条"),
            ],
            "note": NOTE,
        },
    ),
    (
        "CL-COMMIT-01",
        {
            "domain": "信用承诺",
            "title": "信用承诺核查检查表",
            "legal_basis": "《国务院办公厅关于全面推行证明事项和涉企经营许可事项告知承诺制的"
            "指导意见》（国办发〔2020〕42号）",
            "items": [
                _item(1, "承诺的条件、标准、要求是否与实际情况一致",
                      "国办发〔2020〕42号 三、（四）"),
                _item(2, "承诺提交的材料和证明事项是否真实",
                      "国办发〔2020〕42号 三、（四）"),
                _item(3, "承诺期限内是否按承诺履行义务（含容缺材料是否补齐）",
                      "长政办发〔2020〕16号 一、（一）"),
            ],
            "note": NOTE,
        },
    ),
)  # fmt: skip

DEMO_CHECKLIST = "CL-PUBLIC-01"
"""The checklist of the demo draw: every enterprise has public information to check."""


TEMPLATE_FIELDS = ("entity_name", "uscc", "signer", "representative", "signed_on")
"""The placeholders a letter template may hold (in braces)."""

_PLACEHOLDER = re.compile(r"\{(" + "|".join(TEMPLATE_FIELDS) + r")\}")


def fill_letter_template(template: str, values: Mapping[str, str]) -> str:
    """A letter template with its known placeholders replaced.

    Only the names of :data:`TEMPLATE_FIELDS` are replaced; any other brace in an imported
    template is printed as written (never a formatting error at the window). A known
    placeholder without a value becomes a blank line to write on (``________``).

    Args:
        template: The catalog's ``letter_template``.
        values: Values by placeholder name.

    Returns:
        The text to print.
    """

    def fill(match: re.Match[str]) -> str:
        value = values.get(match.group(1), "")
        return value if value.strip() else "________"

    return _PLACEHOLDER.sub(fill, template)


def catalog_domains() -> list[str]:
    """The domains of :data:`CATALOG`, in catalog order."""
    return list(dict.fromkeys(str(fields["domain"]) for _, fields in CATALOG))
