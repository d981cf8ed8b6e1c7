<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AboutDialog</name>
    <message>
        <source>关于信用监管工作台</source>
        <translation>About Credit Desk</translation>
    </message>
    <message>
        <source>信用监管工作台</source>
        <translation>Credit Desk</translation>
    </message>
    <message>
        <source>尚未设置</source>
        <translation>Not set</translation>
    </message>
    <message>
        <source>打开文件夹</source>
        <translation>Open folder</translation>
    </message>
    <message>
        <source>版本：</source>
        <translation>Version:</translation>
    </message>
    <message>
        <source>市级平台地址：</source>
        <translation>Platform address:</translation>
    </message>
    <message>
        <source>数据文件夹：</source>
        <translation>Data folder:</translation>
    </message>
    <message>
        <source>运行环境：</source>
        <translation>Runtime:</translation>
    </message>
    <message>
        <source>正在读取第三方软件许可…</source>
        <translation>Reading the third-party licences…</translation>
    </message>
    <message>
        <source>第三方软件许可</source>
        <translation>Third-party licences</translation>
    </message>
    <message>
        <source>长治市信用监管业务的桌面客户端：窗口信用核查、信用承诺、诚信教育、双随机检查、信用修复与异议、跟踪督办，离线可用。</source>
        <translation>The desktop client for credit-based regulation in Changzhi: credit checks at the window, credit commitments, integrity education, random inspections, credit repair and objections, follow-up — available offline.</translation>
    </message>
    <message>
        <source>本软件使用 Qt 和 PySide6（Qt for Python），依据 GNU 宽通用公共许可证第 3 版（LGPL-3.0）使用；Qt 库以独立的动态库随本软件提供，可以替换。PySide6 的许可说明：</source>
        <translation>This software uses Qt and PySide6 (Qt for Python) under the GNU Lesser General Public License version 3 (LGPL-3.0); the Qt libraries are shipped as separate shared libraries and can be replaced. PySide6&apos;s licensing statement:</translation>
    </message>
    <message>
        <source>无法读取第三方软件许可清单（{error}）。详细信息已写入日志。</source>
        <translation>Could not read the list of third-party licences ({error}). Details are in the log.</translation>
    </message>
    <message>
        <source>元数据未注明，见许可证文本</source>
        <translation>not stated in the metadata; see the licence text</translation>
    </message>
    <message>
        <source>许可证：{licence}</source>
        <translation>Licence: {licence}</translation>
    </message>
    <message>
        <source>（该软件包未附带许可证文件，许可证见上方说明。）</source>
        <translation>(This package ships no licence file; its licence is stated above.)</translation>
    </message>
</context>
<context>
    <name>AmendDialog</name>
    <message>
        <source>更正已同步的检查记录</source>
        <translation>Correct a synced inspection record</translation>
    </message>
    <message>
        <source>{subject}

该记录已同步到平台。更正将以表单中的内容替换原记录，原内容和更正原因会一并留存。</source>
        <translation>{subject}

This record is already synced to the platform. The correction replaces it with the content of the form; the original content and the reason for the correction are kept.</translation>
    </message>
    <message>
        <source>更正原因，例如 检查日期录入错误</source>
        <translation>Reason for the correction, e.g. the inspection date was entered wrongly</translation>
    </message>
    <message>
        <source>更正</source>
        <translation>Correct</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>更正原因：</source>
        <translation>Reason for the correction:</translation>
    </message>
    <message>
        <source>请写明更正原因（至少 {count} 个字）。</source>
        <translation>Give the reason for the correction (at least {count} characters).</translation>
    </message>
</context>
<context>
    <name>AssignDialog</name>
    <message>
        <source>分派承诺核查任务</source>
        <translation>Assign commitment verification tasks</translation>
    </message>
    <message>
        <source>分派逾期整改跟进（约谈）任务</source>
        <translation>Assign follow-up (interview) tasks for overdue warnings</translation>
    </message>
    <message>
        <source> 个工作日</source>
        <translation> working days</translation>
    </message>
    <message>
        <source>分派（Ctrl+Enter）</source>
        <translation>Assign (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>核查承诺：</source>
        <translation>Commitments to verify:</translation>
    </message>
    <message>
        <source>已选 {count} 份</source>
        <translation>{count} selected</translation>
    </message>
    <message>
        <source>执法人员：</source>
        <translation>Inspectors:</translation>
    </message>
    <message>
        <source>完成期限：</source>
        <translation>Time allowed:</translation>
    </message>
</context>
<context>
    <name>AttendeesModel</name>
    <message>
        <source>序号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>主体名称</source>
        <translation>Entity name</translation>
    </message>
    <message>
        <source>（未登记主体）</source>
        <translation>(unregistered entity)</translation>
    </message>
    <message>
        <source>统一社会信用代码</source>
        <translation>Unified social credit code</translation>
    </message>
    <message>
        <source>参训人</source>
        <translation>Attendee</translation>
    </message>
    <message>
        <source>身份</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>签到时间</source>
        <translation>Checked in at</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>已同步</source>
        <translation>Synced</translation>
    </message>
    <message>
        <source>待同步</source>
        <translation>Waiting for sync</translation>
    </message>
</context>
<context>
    <name>BusyWindow</name>
    <message>
        <source>信用监管工作台</source>
        <translation>Credit Desk</translation>
    </message>
</context>
<context>
    <name>CalendarNotice</name>
    <message>
        <source>距{year}年还有{days}天</source>
        <translation>{days} days until {year}</translation>
    </message>
    <message>
        <source>现已是{year}年</source>
        <translation>It is now {year}</translation>
    </message>
    <message>
        <source>节假日表：{year}年法定节假日安排尚未同步到本机（{when}）。到期日落在{year}年的容缺补齐、整改和公示期限将无法计算。请提醒管理员在平台导入国务院办公厅{year}年节假日通知，导入后各终端同步即可。</source>
        <translation>Holiday table: the official {year} holiday schedule has not reached this computer yet ({when}). Deadlines for missing materials, rectification and publication that fall in {year} cannot be computed. Ask the administrator to import the State Council&apos;s {year} holiday notice on the platform; each client then only needs to sync.</translation>
    </message>
</context>
<context>
    <name>CommitmentModels</name>
    <message>
        <source>已同步</source>
        <translation>Synced</translation>
    </message>
    <message>
        <source>待同步</source>
        <translation>Waiting for sync</translation>
    </message>
    <message>
        <source>主体名称</source>
        <translation>Entity name</translation>
    </message>
    <message>
        <source>统一社会信用代码</source>
        <translation>Unified social credit code</translation>
    </message>
    <message>
        <source>办理事项</source>
        <translation>Matter</translation>
    </message>
    <message>
        <source>承诺类型</source>
        <translation>Commitment type</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>签署日期</source>
        <translation>Signed on</translation>
    </message>
    <message>
        <source>履约期限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>材料名称</source>
        <translation>Material</translation>
    </message>
    <message>
        <source>形式</source>
        <translation>Form</translation>
    </message>
    <message>
        <source>收到</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>✓ 已收到</source>
        <translation>✓ Received</translation>
    </message>
    <message>
        <source>未收到</source>
        <translation>Not received</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>原状态</source>
        <translation>Old status</translation>
    </message>
    <message>
        <source>新状态</source>
        <translation>New status</translation>
    </message>
    <message>
        <source>经办人</source>
        <translation>Handled by</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>联系人</source>
        <translation>Contact</translation>
    </message>
</context>
<context>
    <name>CommitmentsPage</name>
    <message>
        <source>失信程度</source>
        <translation>Severity</translation>
    </message>
    <message>
        <source>证据与情况</source>
        <translation>Evidence and facts</translation>
    </message>
    <message>
        <source>认定时间</source>
        <translation>Determined at</translation>
    </message>
    <message>
        <source>认定人</source>
        <translation>Determined by</translation>
    </message>
    <message>
        <source>失信记录编号</source>
        <translation>Dishonesty record number</translation>
    </message>
    <message>
        <source>信用承诺</source>
        <translation>Credit commitments</translation>
    </message>
    <message>
        <source>新建承诺（Ctrl+N）</source>
        <translation>New commitment (Ctrl+N)</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>按主体名称、代码、事项或承诺人筛选（Ctrl+F）</source>
        <translation>Filter by entity name, code, matter or signatory (Ctrl+F)</translation>
    </message>
    <message>
        <source>全部状态</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <source>新建信用承诺</source>
        <translation>New credit commitment</translation>
    </message>
    <message>
        <source>在左侧选择一项承诺查看详情，或点“新建承诺”办理新的信用承诺。</source>
        <translation>Select a commitment on the left to see its details, or click “New commitment” to take a new credit commitment.</translation>
    </message>
    <message>
        <source>统一社会信用代码：</source>
        <translation>Unified social credit code:</translation>
    </message>
    <message>
        <source>办理事项：</source>
        <translation>Matter:</translation>
    </message>
    <message>
        <source>法律依据：</source>
        <translation>Legal basis:</translation>
    </message>
    <message>
        <source>承诺人：</source>
        <translation>Signatory:</translation>
    </message>
    <message>
        <source>签署日期：</source>
        <translation>Signed on:</translation>
    </message>
    <message>
        <source>履约期限：</source>
        <translation>Deadline:</translation>
    </message>
    <message>
        <source>公开：</source>
        <translation>Public:</translation>
    </message>
    <message>
        <source>扫描件：</source>
        <translation>Scans:</translation>
    </message>
    <message>
        <source>同步：</source>
        <translation>Sync:</translation>
    </message>
    <message>
        <source>承诺书编号：</source>
        <translation>Letter number:</translation>
    </message>
    <message>
        <source>签署</source>
        <translation>Sign</translation>
    </message>
    <message>
        <source>材料已补齐</source>
        <translation>Materials complete</translation>
    </message>
    <message>
        <source>登记所缺材料全部收到，承诺履约完成</source>
        <translation>Record that all missing materials have arrived; the commitment is fulfilled</translation>
    </message>
    <message>
        <source>登记所选材料已收到</source>
        <translation>Record selected materials as received</translation>
    </message>
    <message>
        <source>确认已履约</source>
        <translation>Confirm fulfilled</translation>
    </message>
    <message>
        <source>核查属实</source>
        <translation>Verified as true</translation>
    </message>
    <message>
        <source>核查不实…</source>
        <translation>Verified as false…</translation>
    </message>
    <message>
        <source>记录违约…</source>
        <translation>Record breach…</translation>
    </message>
    <message>
        <source>撤回…</source>
        <translation>Withdraw…</translation>
    </message>
    <message>
        <source>该承诺已办结，没有可进行的操作。</source>
        <translation>This commitment is closed; no actions are available.</translation>
    </message>
    <message>
        <source>打印承诺书（Ctrl+P）</source>
        <translation>Print commitment letter (Ctrl+P)</translation>
    </message>
    <message>
        <source>打印一次性告知书</source>
        <translation>Print one-time notice</translation>
    </message>
    <message>
        <source>附加扫描件…</source>
        <translation>Attach scan…</translation>
    </message>
    <message>
        <source>容缺材料</source>
        <translation>Missing materials</translation>
    </message>
    <message>
        <source>失信认定</source>
        <translation>Dishonesty finding</translation>
    </message>
    <message>
        <source>办理记录</source>
        <translation>History</translation>
    </message>
    <message>
        <source>共 {total} 项承诺</source>
        <translation>{total} commitments</translation>
    </message>
    <message>
        <source>显示 {shown} 项，共 {total} 项</source>
        <translation>{shown} of {total} shown</translation>
    </message>
    <message>
        <source>，其中逾期 {count} 项</source>
        <translation>, {count} overdue</translation>
    </message>
    <message>
        <source>（已过期限）</source>
        <translation> (past deadline)</translation>
    </message>
    <message>
        <source>未签署（草稿）</source>
        <translation>Not signed (draft)</translation>
    </message>
    <message>
        <source>公开</source>
        <translation>Public</translation>
    </message>
    <message>
        <source>不公开</source>
        <translation>Not public</translation>
    </message>
    <message>
        <source>{count} 份</source>
        <translation>{count}</translation>
    </message>
    <message>
        <source>承诺书已签署。</source>
        <translation>The commitment letter is signed.</translation>
    </message>
    <message>
        <source>已登记材料补齐，承诺履约完成。</source>
        <translation>All materials recorded as received; the commitment is fulfilled.</translation>
    </message>
    <message>
        <source>已登记收到：{names}</source>
        <translation>Recorded as received: {names}</translation>
    </message>
    <message>
        <source>状态已改为“{status}”。</source>
        <translation>Status changed to “{status}”.</translation>
    </message>
    <message>
        <source>已记录核查结果：承诺属实。</source>
        <translation>Verification recorded: the commitment is true.</translation>
    </message>
    <message>
        <source>承诺已撤回。</source>
        <translation>The commitment is withdrawn.</translation>
    </message>
    <message>
        <source>已认定为虚假承诺，并记入信用记录。</source>
        <translation>Found to be a false commitment and entered in the credit record.</translation>
    </message>
    <message>
        <source>已记录违约，并记入信用记录。</source>
        <translation>Breach recorded and entered in the credit record.</translation>
    </message>
    <message>
        <source>附加扫描件</source>
        <translation>Attach scan</translation>
    </message>
    <message>
        <source>已附加扫描件“{name}”（已加密保存）。</source>
        <translation>Scan “{name}” attached (stored encrypted).</translation>
    </message>
    <message>
        <source>已保存承诺草稿（{name}）。签署后方可打印承诺书。</source>
        <translation>Commitment draft saved ({name}). Sign it before printing the commitment letter.</translation>
    </message>
    <message>
        <source>已签署容缺受理承诺（{name}），补齐期限 {deadline}。请打印承诺书和一次性告知书交申请人。</source>
        <translation>Tolerance acceptance commitment signed ({name}); the missing materials are due by {deadline}. Print the commitment letter and the one-time notice and hand them to the applicant.</translation>
    </message>
    <message>
        <source>已签署信用承诺（{name}）。请打印承诺书交申请人签字留存。</source>
        <translation>Credit commitment signed ({name}). Print the commitment letter for the applicant to sign, and keep it on file.</translation>
    </message>
</context>
<context>
    <name>ConnectionState</name>
    <message>
        <source>离线 · 未设置市级平台地址</source>
        <translation>Offline · no platform address set</translation>
    </message>
    <message>
        <source>正在检测市级平台连接…</source>
        <translation>Checking the connection to the municipal platform…</translation>
    </message>
    <message>
        <source>在线 · 已连接市级平台</source>
        <translation>Online · connected to the municipal platform</translation>
    </message>
    <message>
        <source>在线 · 未登录市级平台</source>
        <translation>Online · not logged in to the municipal platform</translation>
    </message>
    <message>
        <source>离线 · 市级平台不可达</source>
        <translation>Offline · municipal platform unreachable</translation>
    </message>
    <message>
        <source>离线 · 平台地址无效</source>
        <translation>Offline · invalid platform address</translation>
    </message>
    <message>
        <source>平台公钥指纹设置有误，无法同步。请联系管理员修正本机的设置文件。</source>
        <translation>The platform key pin is malformed, so nothing can sync. Ask your administrator to correct this computer&apos;s settings file.</translation>
    </message>
    <message>
        <source>地址格式不正确</source>
        <translation>The address is malformed</translation>
    </message>
    <message>
        <source>{problem}，无法同步。请在 同步 页重新登录并改正平台地址。</source>
        <translation>{problem}, so nothing can sync. Log in again on the Sync page and correct the platform address.</translation>
    </message>
    <message>
        <source>本机数据不会同步。请在 同步 页登录市级平台并填写平台地址。</source>
        <translation>This computer&apos;s data will not sync. Log in to the municipal platform on the Sync page and enter its address.</translation>
    </message>
    <message>
        <source>正在连接市级平台，请稍候。</source>
        <translation>Connecting to the municipal platform, please wait.</translation>
    </message>
    <message>
        <source>本机的更改会自动同步到市级平台。</source>
        <translation>Changes made here sync to the municipal platform automatically.</translation>
    </message>
    <message>
        <source>本机的更改暂不同步。请在 同步 页登录市级平台。</source>
        <translation>Changes made here are not syncing. Log in to the municipal platform on the Sync page.</translation>
    </message>
    <message>
        <source>本机的更改已保存，网络恢复后自动同步。如一直不可达，请检查网络，或在 同步 页核对平台地址。</source>
        <translation>Changes are saved here and sync automatically when the network returns. If the platform stays unreachable, check the network or the platform address on the Sync page.</translation>
    </message>
    <message>
        <source>未填写地址</source>
        <translation>No address entered</translation>
    </message>
    <message>
        <source>地址中不能有空格</source>
        <translation>The address must not contain spaces</translation>
    </message>
    <message>
        <source>端口号不正确</source>
        <translation>The port number is invalid</translation>
    </message>
    <message>
        <source>地址应以 https:// 或 http:// 开头</source>
        <translation>The address must start with https:// or http://</translation>
    </message>
    <message>
        <source>缺少服务器名称</source>
        <translation>The server name is missing</translation>
    </message>
    <message>
        <source>地址中不能有 ? 或 #</source>
        <translation>The address must not contain ? or #</translation>
    </message>
    <message>
        <source>未加密的 http:// 地址只能用于本机调试，市级平台地址必须以 https:// 开头</source>
        <translation>An unencrypted http:// address is only for debugging on this computer; the municipal platform address must start with https://</translation>
    </message>
</context>
<context>
    <name>DecisionDialog</name>
    <message>
        <source>作出决定</source>
        <translation>Decide</translation>
    </message>
    <message>
        <source>准予修复</source>
        <translation>Grant repair</translation>
    </message>
    <message>
        <source>不予修复</source>
        <translation>Refuse repair</translation>
    </message>
    <message>
        <source>维持</source>
        <translation>Keep</translation>
    </message>
    <message>
        <source>更正</source>
        <translation>Correct</translation>
    </message>
    <message>
        <source>撤销</source>
        <translation>Revoke</translation>
    </message>
    <message>
        <source>轻微</source>
        <translation>Minor</translation>
    </message>
    <message>
        <source>一般</source>
        <translation>General</translation>
    </message>
    <message>
        <source>严重</source>
        <translation>Serious</translation>
    </message>
    <message>
        <source>决定的理由（将写入告知书）</source>
        <translation>Reasons for the decision (printed in the letter)</translation>
    </message>
    <message>
        <source>因错误记录造成损害的，已采取的纠正措施</source>
        <translation>What was done to undo harm caused by a wrong record</translation>
    </message>
    <message>
        <source>提交决定</source>
        <translation>Submit decision</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>申请：</source>
        <translation>Application:</translation>
    </message>
    <message>
        <source>决定：</source>
        <translation>Decision:</translation>
    </message>
    <message>
        <source>更正后的严重程度：</source>
        <translation>Corrected severity:</translation>
    </message>
    <message>
        <source>纠正措施：</source>
        <translation>Remedy:</translation>
    </message>
    <message>
        <source>理由：</source>
        <translation>Reasons:</translation>
    </message>
    <message>
        <source>正在提交到市级平台…</source>
        <translation>Sending to the municipal platform…</translation>
    </message>
</context>
<context>
    <name>DomainLabels</name>
    <message>
        <source>草稿</source>
        <translation>Draft</translation>
    </message>
    <message>
        <source>已签署</source>
        <translation>Signed</translation>
    </message>
    <message>
        <source>已履约</source>
        <translation>Fulfilled</translation>
    </message>
    <message>
        <source>逾期未履约</source>
        <translation>Overdue, not fulfilled</translation>
    </message>
    <message>
        <source>违约</source>
        <translation>Breached</translation>
    </message>
    <message>
        <source>核查属实</source>
        <translation>Verified as true</translation>
    </message>
    <message>
        <source>虚假承诺</source>
        <translation>False commitment</translation>
    </message>
    <message>
        <source>已撤回</source>
        <translation>Withdrawn</translation>
    </message>
    <message>
        <source>告知承诺</source>
        <translation>Notification and commitment</translation>
    </message>
    <message>
        <source>容缺受理</source>
        <translation>Tolerance acceptance</translation>
    </message>
    <message>
        <source>行业自律</source>
        <translation>Industry self-regulation</translation>
    </message>
    <message>
        <source>信用修复</source>
        <translation>Credit repair</translation>
    </message>
    <message>
        <source>主动承诺</source>
        <translation>Voluntary commitment</translation>
    </message>
    <message>
        <source>轻微</source>
        <translation>Minor</translation>
    </message>
    <message>
        <source>一般</source>
        <translation>Moderate</translation>
    </message>
    <message>
        <source>严重</source>
        <translation>Serious</translation>
    </message>
    <message>
        <source>法定代表人</source>
        <translation>Legal representative</translation>
    </message>
    <message>
        <source>委托代理人</source>
        <translation>Authorized agent</translation>
    </message>
    <message>
        <source>股东</source>
        <translation>Shareholder</translation>
    </message>
    <message>
        <source>财务负责人</source>
        <translation>Head of finance</translation>
    </message>
    <message>
        <source>经办人</source>
        <translation>Handling staff</translation>
    </message>
    <message>
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>原件</source>
        <translation>Original</translation>
    </message>
    <message>
        <source>复印件</source>
        <translation>Copy</translation>
    </message>
    <message>
        <source>原件及复印件</source>
        <translation>Original and copy</translation>
    </message>
    <message>
        <source>电子件</source>
        <translation>Electronic copy</translation>
    </message>
</context>
<context>
    <name>DraftRestore</name>
    <message>
        <source>恢复未保存的草稿？</source>
        <translation>Restore the unsaved draft?</translation>
    </message>
    <message>
        <source>发现未保存的草稿：{what}{detail}，最后输入于 {when}。
上次可能未正常退出。点“恢复”把草稿填回表单后继续填写；点“放弃”删除该草稿。</source>
        <translation>An unsaved draft was found: {what}{detail}, last typed at {when}.
The client may not have closed normally last time. Click &quot;Restore&quot; to put the draft back into the form and continue; click &quot;Discard&quot; to delete it.</translation>
    </message>
    <message>
        <source>恢复</source>
        <translation>Restore</translation>
    </message>
    <message>
        <source>放弃</source>
        <translation>Discard</translation>
    </message>
</context>
<context>
    <name>EducationPage</name>
    <message>
        <source>诚信教育</source>
        <translation>Integrity education</translation>
    </message>
    <message>
        <source>面向市场主体的免费公益培训。是否参训不作为办理任何审批事项的前置条件。</source>
        <translation>Free public-interest training for market entities. Attending is not a precondition for any approval.</translation>
    </message>
    <message>
        <source>全部月份</source>
        <translation>All months</translation>
    </message>
    <message>
        <source>新建场次（Ctrl+N）</source>
        <translation>New session (Ctrl+N)</translation>
    </message>
    <message>
        <source>删除场次</source>
        <translation>Delete session</translation>
    </message>
    <message>
        <source>只能删除尚无人签到的场次</source>
        <translation>Only a session nobody has checked in to can be deleted</translation>
    </message>
    <message>
        <source>月份：</source>
        <translation>Month:</translation>
    </message>
    <message>
        <source>培训场次</source>
        <translation>Training sessions</translation>
    </message>
    <message>
        <source>例如 市场主体诚信经营第一课</source>
        <translation>e.g. Honest business for market entities, lesson 1</translation>
    </message>
    <message>
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <source>例如 潞州区政务服务中心三楼培训室</source>
        <translation>e.g. Training room, 3rd floor, Luzhou District Government Service Center</translation>
    </message>
    <message>
        <source>主讲人姓名</source>
        <translation>Speaker&apos;s name</translation>
    </message>
    <message>
        <source>每行一项，例如 信用承诺告知书样本</source>
        <translation>One per line, e.g. Sample credit commitment notice</translation>
    </message>
    <message>
        <source>不限</source>
        <translation>No limit</translation>
    </message>
    <message>
        <source> 人</source>
        <translation> people</translation>
    </message>
    <message>
        <source>保存场次（Ctrl+S）</source>
        <translation>Save session (Ctrl+S)</translation>
    </message>
    <message>
        <source>培训主题：</source>
        <translation>Topic:</translation>
    </message>
    <message>
        <source>培训日期：</source>
        <translation>Date:</translation>
    </message>
    <message>
        <source>培训时间：</source>
        <translation>Time:</translation>
    </message>
    <message>
        <source>培训地点：</source>
        <translation>Place:</translation>
    </message>
    <message>
        <source>主讲人：</source>
        <translation>Speaker:</translation>
    </message>
    <message>
        <source>培训材料：</source>
        <translation>Materials:</translation>
    </message>
    <message>
        <source>容纳人数：</source>
        <translation>Capacity:</translation>
    </message>
    <message>
        <source>输入统一社会信用代码，或扫描营业执照二维码</source>
        <translation>Enter the unified social credit code, or scan the business licence QR code</translation>
    </message>
    <message>
        <source>主体名称（本地主体库中没有时填写）</source>
        <translation>Entity name (if the entity is not in the local database)</translation>
    </message>
    <message>
        <source>参训人姓名</source>
        <translation>Attendee&apos;s name</translation>
    </message>
    <message>
        <source>联系电话（选填）</source>
        <translation>Phone (optional)</translation>
    </message>
    <message>
        <source>身份证号码（选填，脱敏保存）</source>
        <translation>ID card number (optional, stored masked)</translation>
    </message>
    <message>
        <source>签到（Enter）</source>
        <translation>Check in (Enter)</translation>
    </message>
    <message>
        <source>主体代码：</source>
        <translation>Entity code:</translation>
    </message>
    <message>
        <source>主体名称：</source>
        <translation>Entity name:</translation>
    </message>
    <message>
        <source>参训人：</source>
        <translation>Attendee:</translation>
    </message>
    <message>
        <source>身份：</source>
        <translation>Role:</translation>
    </message>
    <message>
        <source>电话：</source>
        <translation>Phone:</translation>
    </message>
    <message>
        <source>身份证：</source>
        <translation>ID card:</translation>
    </message>
    <message>
        <source>出具单位，例如 长治市潞州区政务服务中心</source>
        <translation>Issuing unit, e.g. Luzhou District Government Service Center, Changzhi</translation>
    </message>
    <message>
        <source>打印签到表（Ctrl+P）</source>
        <translation>Print attendance sheet (Ctrl+P)</translation>
    </message>
    <message>
        <source>打印参训证明</source>
        <translation>Print attendance certificate</translation>
    </message>
    <message>
        <source>移除签到</source>
        <translation>Remove check-in</translation>
    </message>
    <message>
        <source>撤销误登记的签到记录</source>
        <translation>Undo a check-in recorded by mistake</translation>
    </message>
    <message>
        <source>出具单位：</source>
        <translation>Issuing unit:</translation>
    </message>
    <message>
        <source>签到</source>
        <translation>Check-in</translation>
    </message>
    <message>
        <source> 年</source>
        <translation> yr</translation>
    </message>
    <message>
        <source>年度：</source>
        <translation>Year:</translation>
    </message>
    <message>
        <source>统计</source>
        <translation>Statistics</translation>
    </message>
    <message>
        <source>{place}：{sessions} 场，{attendees} 人次，{entities} 户</source>
        <translation>{place}: {sessions} sessions, {attendees} attendances, {entities} entities</translation>
    </message>
    <message>
        <source>按地点：</source>
        <translation>By place:</translation>
    </message>
    <message>
        <source>{year}年尚无培训场次。</source>
        <translation>No training sessions in {year} yet.</translation>
    </message>
    <message>
        <source>放弃未保存的修改？</source>
        <translation>Discard unsaved changes?</translation>
    </message>
    <message>
        <source>培训场次信息有未保存的修改，继续将放弃这些修改。
要先保存，请点“取消”，再按 Ctrl+S。</source>
        <translation>The session details have unsaved changes; continuing discards them.
To save them first, click “Cancel”, then press Ctrl+S.</translation>
    </message>
    <message>
        <source>场次信息</source>
        <translation>Session details</translation>
    </message>
    <message>
        <source>签到 — {title}（{day}）</source>
        <translation>Check-in — {title} ({day})</translation>
    </message>
    <message>
        <source>新建场次</source>
        <translation>New session</translation>
    </message>
    <message>
        <source>签到 — 请先在上方选择培训场次</source>
        <translation>Check-in — first select a training session above</translation>
    </message>
    <message>
        <source>场次信息（已恢复草稿，未保存）</source>
        <translation>Session (draft restored, not saved)</translation>
    </message>
    <message>
        <source>已恢复签到草稿。请先保存或放弃场次表单的修改，再选择培训场次签到。</source>
        <translation>The check-in draft was restored. Save or discard the changes to the session form first, then choose the session to check in to.</translation>
    </message>
    <message>
        <source>请填写培训主题。</source>
        <translation>Enter the topic of the training.</translation>
    </message>
    <message>
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>已新建培训场次“{title}”，可开始签到。</source>
        <translation>Training session “{title}” created; check-in can start.</translation>
    </message>
    <message>
        <source>已保存培训场次“{title}”。</source>
        <translation>Training session “{title}” saved.</translation>
    </message>
    <message>
        <source>保存开始后输入的内容尚未保存，请再按 Ctrl+S 保存。</source>
        <translation>What you typed after the save began is not saved yet; press Ctrl+S again.</translation>
    </message>
    <message>
        <source>已删除培训场次“{title}”。</source>
        <translation>Training session “{title}” deleted.</translation>
    </message>
    <message>
        <source>{name}（{code}）</source>
        <translation>{name} ({code})</translation>
    </message>
    <message>
        <source>请先在“培训场次”中选择本场培训，或按 Ctrl+N 新建场次。</source>
        <translation>First select this training in “Training sessions”, or press Ctrl+N to create a session.</translation>
    </message>
    <message>
        <source>请输入统一社会信用代码或扫描营业执照二维码；尚未登记的主体请填写主体名称。</source>
        <translation>Enter the unified social credit code or scan the business licence QR code; for an entity not yet registered, enter its name.</translation>
    </message>
    <message>
        <source>请填写参训人姓名。</source>
        <translation>Enter the attendee&apos;s name.</translation>
    </message>
    <message>
        <source>正在签到…</source>
        <translation>Checking in…</translation>
    </message>
    <message>
        <source>已签到：{name}（{entity}）</source>
        <translation>Checked in: {name} ({entity})</translation>
    </message>
    <message>
        <source>未登记主体</source>
        <translation>Unregistered entity</translation>
    </message>
    <message>
        <source>确定移除“{name}”的签到记录吗？</source>
        <translation>Remove the check-in of “{name}”?</translation>
    </message>
    <message>
        <source>已移除“{name}”的签到记录。</source>
        <translation>The check-in of “{name}” is removed.</translation>
    </message>
    <message>
        <source>请先选择要打印签到表的培训场次。</source>
        <translation>First select the training session whose attendance sheet you want to print.</translation>
    </message>
    <message>
        <source>请先在签到名单中选择参训人。</source>
        <translation>First select an attendee in the check-in list.</translation>
    </message>
    <message>
        <source>请填写出具单位（将印在参训证明的落款处）。</source>
        <translation>Enter the issuing unit (it is printed in the signature block of the attendance certificate).</translation>
    </message>
</context>
<context>
    <name>EntityCardWidget</name>
    <message>
        <source>在结果列表中选择一个主体，这里显示它的信用信息。</source>
        <translation>Select an entity in the result list to see its credit information here.</translation>
    </message>
    <message>
        <source>出具信用报告…</source>
        <translation>Issue credit report…</translation>
    </message>
    <message>
        <source>为该主体出具公共信用信息报告（报告打印）</source>
        <translation>Issue a public credit information report for this entity (Reports)</translation>
    </message>
    <message>
        <source>新建承诺…</source>
        <translation>New commitment…</translation>
    </message>
    <message>
        <source>为该主体办理告知承诺或容缺受理（信用承诺）</source>
        <translation>Take a notification and commitment or a tolerance acceptance for this entity (Credit commitments)</translation>
    </message>
    <message>
        <source>记录措施实施…</source>
        <translation>Record measures…</translation>
    </message>
    <message>
        <source>记录对名单规定的激励或惩戒措施的实施情况（联合奖惩反馈）</source>
        <translation>Record how the rewards or restrictions the lists call for were applied (joint reward and punishment feedback)</translation>
    </message>
    <message>
        <source>统一社会信用代码</source>
        <translation>Unified social credit code</translation>
    </message>
    <message>
        <source>登记管理部门</source>
        <translation>Registration authority</translation>
    </message>
    <message>
        <source>机构类别</source>
        <translation>Entity category</translation>
    </message>
    <message>
        <source>法定代表人</source>
        <translation>Legal representative</translation>
    </message>
    <message>
        <source>主要负责人</source>
        <translation>Principal</translation>
    </message>
    <message>
        <source>住所</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>所属地区</source>
        <translation>Region</translation>
    </message>
    <message>
        <source>行业</source>
        <translation>Industry</translation>
    </message>
    <message>
        <source>登记状态</source>
        <translation>Registration status</translation>
    </message>
    <message>
        <source>：</source>
        <translation>: </translation>
    </message>
    <message>
        <source>信用名单</source>
        <translation>Credit lists</translation>
    </message>
    <message>
        <source>信用承诺</source>
        <translation>Credit commitments</translation>
    </message>
    <message>
        <source>失信记录、警示和约谈</source>
        <translation>Dishonesty records, warnings and interviews</translation>
    </message>
    <message>
        <source>以上为全市各部门、各服务大厅依规可公示的信用记录（一处失信、处处受限）。</source>
        <translation>The records above are those every department and service hall of the city may disclose under the rules (a breach anywhere counts everywhere).</translation>
    </message>
    <message>
        <source>本厅</source>
        <translation>This hall</translation>
    </message>
    <message>
        <source>异议处理中</source>
        <translation>Objection under review</translation>
    </message>
    <message>
        <source>信用修复办理中</source>
        <translation>Credit repair in progress</translation>
    </message>
    <message>
        <source>暂无公示期内的失信记录、警示或约谈。</source>
        <translation>No dishonesty records, warnings or interviews within their publication period.</translation>
    </message>
    <message>
        <source>公示至 {date}</source>
        <translation>Published until {date}</translation>
    </message>
    <message>
        <source>（未登记）</source>
        <translation>(not registered)</translation>
    </message>
    <message>
        <source>本地缓存更新于 {time}，数据版本 {version}</source>
        <translation>Local cache updated {time}, data version {version}</translation>
    </message>
    <message>
        <source>可以适用容缺受理</source>
        <translation>Eligible for tolerance acceptance</translation>
    </message>
    <message>
        <source>不可适用容缺受理</source>
        <translation>Not eligible for tolerance acceptance</translation>
    </message>
    <message>
        <source>暂无信用承诺记录。</source>
        <translation>No credit commitments on record.</translation>
    </message>
    <message>
        <source>未签署</source>
        <translation>not signed</translation>
    </message>
    <message>
        <source>，期限 {date}</source>
        <translation>, due {date}</translation>
    </message>
    <message>
        <source>（整改期限 {date}）</source>
        <translation> (rectify by {date})</translation>
    </message>
    <message>
        <source>未列入守信激励、严重失信或重点关注名单。</source>
        <translation>Not on the red list, the serious dishonesty list or the key attention list.</translation>
    </message>
    <message>
        <source>依据：{basis}</source>
        <translation>Basis: {basis}</translation>
    </message>
    <message>
        <source>列入日期：{date}</source>
        <translation>Listed on: {date}</translation>
    </message>
    <message>
        <source>（{authority}认定）</source>
        <translation> (decided by {authority})</translation>
    </message>
</context>
<context>
    <name>EntityResultsModel</name>
    <message>
        <source>统一社会信用代码</source>
        <translation>USCC</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>法定代表人</source>
        <translation>Legal rep.</translation>
    </message>
    <message>
        <source>所属地区</source>
        <translation>Region</translation>
    </message>
    <message>
        <source>登记状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>（已不在本地缓存中）</source>
        <translation>(no longer in the local cache)</translation>
    </message>
</context>
<context>
    <name>FindingDialog</name>
    <message>
        <source>记录违约</source>
        <translation>Record breach</translation>
    </message>
    <message>
        <source>核查不实（虚假承诺）</source>
        <translation>Verified as false (false commitment)</translation>
    </message>
    <message>
        <source>撤回承诺</source>
        <translation>Withdraw commitment</translation>
    </message>
    <message>
        <source>撤回原因，例如 申请人主动撤回申请</source>
        <translation>Reason for withdrawal, e.g. the applicant withdrew the application</translation>
    </message>
    <message>
        <source>认定依据：核查方式、发现的事实、相关文书编号等</source>
        <translation>Basis of the finding: how it was verified, the facts found, numbers of related documents, etc.</translation>
    </message>
    <message>
        <source>失信程度：</source>
        <translation>Severity:</translation>
    </message>
    <message>
        <source>证据与情况：</source>
        <translation>Evidence and facts:</translation>
    </message>
    <message>
        <source>撤回原因：</source>
        <translation>Reason for withdrawal:</translation>
    </message>
    <message>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>请填写撤回原因。</source>
        <translation>Enter the reason for withdrawal.</translation>
    </message>
    <message>
        <source>请填写证据与情况：认定违约或虚假承诺须有事实依据。</source>
        <translation>Enter the evidence and facts: a breach or a false commitment can only be found on the basis of facts.</translation>
    </message>
</context>
<context>
    <name>FirstRunGuide</name>
    <message>
        <source>入门指南 — 信用监管工作台</source>
        <translation>Getting started — Credit Desk</translation>
    </message>
    <message>
        <source>欢迎使用信用监管工作台</source>
        <translation>Welcome to Credit Desk</translation>
    </message>
    <message>
        <source>信用监管工作台是长治市政务服务窗口工作人员和执法人员办理信用监管业务的桌面工具：主体查询与信用核查、信用承诺（告知承诺、容缺受理）、诚信教育、双随机检查、信用报告、信用修复与异议、跟踪督办。</source>
        <translation>Credit Desk is the desktop tool with which Changzhi&apos;s service-window staff and inspectors do credit-based regulation: entity lookup and credit checks, credit commitments (notification commitments, tolerance acceptance), integrity education, random inspections, credit reports, credit repair and objections, and follow-up.</translation>
    </message>
    <message>
        <source>所有数据都加密保存在本机的本地数据库中，没有网络也能照常办理；联网后，本机的记录会自动与市级平台同步。</source>
        <translation>All data is kept encrypted in the local database on this computer, so work goes on without a network; once online, this computer&apos;s records are synced with the municipal platform automatically.</translation>
    </message>
    <message>
        <source>登录市级平台</source>
        <translation>Log in to the municipal platform</translation>
    </message>
    <message>
        <source>第一次使用，请在有网络时登录一次：点左侧的“同步”（Ctrl+9），再点“登录平台…”，填写平台地址、用户名和密码。登录后会下载主体信息、承诺事项目录和检查任务，表单和审计日志中的经办人将记为您的姓名。</source>
        <translation>Before the first use, log in once while you have a network: click “Sync” on the left (Ctrl+9), then “Log in to the platform…”, and enter the platform address, user name and password. Logging in downloads the entities, the catalogue of commitment matters and the inspection tasks, and forms and the audit log will name you as the officer in charge.</translation>
    </message>
    <message>
        <source>执法人员外出检查前，请在“同步”页点“离线准备”，把检查任务、检查表和附件全部下载到本机。</source>
        <translation>Inspectors: before going out, click “Prepare for offline” on the “Sync” page to download all inspection tasks, checklists and attachments to this computer.</translation>
    </message>
    <message>
        <source>随时查看帮助</source>
        <translation>Help is always at hand</translation>
    </message>
    <message>
        <source>在任何页面按 F1，即可打开该页面的使用手册（不需要网络）。左下角的“帮助”按钮中有使用手册、本入门指南和“关于”。</source>
        <translation>Press F1 on any page to open that page&apos;s user manual (no network needed). The “Help” button at the bottom left offers the manual, this guide and “About”.</translation>
    </message>
    <message>
        <source>常用快捷键：Ctrl+1…Ctrl+9 切换页面，Ctrl+F 查找主体，Ctrl+L 立即锁定，Ctrl+Q 退出。离开座位时请锁定，或等待自动锁定。</source>
        <translation>Useful shortcuts: Ctrl+1…Ctrl+9 switch pages, Ctrl+F finds an entity, Ctrl+L locks at once, Ctrl+Q quits. Lock the client when you leave your desk, or let it lock itself.</translation>
    </message>
    <message>
        <source>跳过</source>
        <translation>Skip</translation>
    </message>
    <message>
        <source>关闭入门指南；以后可从“帮助”菜单再次打开</source>
        <translation>Close the guide; the “Help” menu opens it again later</translation>
    </message>
    <message>
        <source>上一步</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>下一步</source>
        <translation>Next</translation>
    </message>
    <message>
        <source>完成</source>
        <translation>Finish</translation>
    </message>
    <message>
        <source>第 {n} 步，共 {total} 步</source>
        <translation>Step {n} of {total}</translation>
    </message>
</context>
<context>
    <name>FollowUpPage</name>
    <message>
        <source>跟踪督办</source>
        <translation>Follow-up</translation>
    </message>
    <message>
        <source>主体名称</source>
        <translation>Entity name</translation>
    </message>
    <message>
        <source>统一社会信用代码</source>
        <translation>Unified social credit code</translation>
    </message>
    <message>
        <source>承诺事项</source>
        <translation>Matter</translation>
    </message>
    <message>
        <source>承诺类型</source>
        <translation>Commitment type</translation>
    </message>
    <message>
        <source>签署日期</source>
        <translation>Signed on</translation>
    </message>
    <message>
        <source>核查期限</source>
        <translation>Verify by</translation>
    </message>
    <message>
        <source>受理大厅</source>
        <translation>Service hall</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>含 7 日内到期</source>
        <translation>Include those due within 7 days</translation>
    </message>
    <message>
        <source>刷新（F5）</source>
        <translation>Refresh (F5)</translation>
    </message>
    <message>
        <source>分派核查…</source>
        <translation>Assign verification…</translation>
    </message>
    <message>
        <source>承诺核查</source>
        <translation>Commitment verification</translation>
    </message>
    <message>
        <source>所属区域</source>
        <translation>Region</translation>
    </message>
    <message>
        <source>触发规则</source>
        <translation>Rules fired</translation>
    </message>
    <message>
        <source>预警说明</source>
        <translation>Why</translation>
    </message>
    <message>
        <source>警示日期</source>
        <translation>Warned on</translation>
    </message>
    <message>
        <source>整改期限</source>
        <translation>Rectify by</translation>
    </message>
    <message>
        <source>逾期天数</source>
        <translation>Days late</translation>
    </message>
    <message>
        <source>警示内容</source>
        <translation>Warning</translation>
    </message>
    <message>
        <source>已约谈</source>
        <translation>Interviews</translation>
    </message>
    <message>
        <source>跟进任务</source>
        <translation>Follow-up task</translation>
    </message>
    <message>
        <source>分派约谈…</source>
        <translation>Assign interview…</translation>
    </message>
    <message>
        <source>记录约谈…（Enter）</source>
        <translation>Record interview… (Enter)</translation>
    </message>
    <message>
        <source>逾期未整改</source>
        <translation>Overdue rectification</translation>
    </message>
    <message>
        <source>名单</source>
        <translation>List</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>措施</source>
        <translation>Measure</translation>
    </message>
    <message>
        <source>已实施</source>
        <translation>Applied</translation>
    </message>
    <message>
        <source>不适用</source>
        <translation>Not applicable</translation>
    </message>
    <message>
        <source>实施比例</source>
        <translation>Applied share</translation>
    </message>
    <message>
        <source>记录的大厅</source>
        <translation>Recorded at</translation>
    </message>
    <message>
        <source>联合奖惩</source>
        <translation>Joint rewards and punishments</translation>
    </message>
    <message>
        <source>跟踪督办供监管人员和执法人员使用；窗口的容缺补齐和待核查承诺在“工作台”中。</source>
        <translation>Follow-up is for supervisors and inspectors; window staff find missing materials and commitments to verify on the Workbench.</translation>
    </message>
    <message>
        <source>窗口共反馈 {total} 次措施实施情况，涉及 {count} 项措施</source>
        <translation>Windows gave {total} feedbacks on {count} measures</translation>
    </message>
    <message>
        <source>共 {count} 份逾期未整改的失信警示，尚未约谈 {waiting} 份</source>
        <translation>{count} warnings overdue without rectification, {waiting} without an interview</translation>
    </message>
    <message>
        <source>本机无该主体的任务</source>
        <translation>No task for this entity on this computer</translation>
    </message>
    <message>
        <source>请先在列表中选择一份逾期的失信警示。</source>
        <translation>First select an overdue warning in the list.</translation>
    </message>
    <message>
        <source>本机没有该主体的检查任务，请联系监管人员分派跟进任务后同步。</source>
        <translation>This computer holds no inspection task for this entity. Ask a supervisor to assign a follow-up task, then sync.</translation>
    </message>
    <message>
        <source>跟进失信警示：{day} 警示，整改期限 {deadline}，已逾期 {late} 天。</source>
        <translation>Follow-up of the warning of {day}: rectification was due {deadline}, {late} days late.</translation>
    </message>
    <message>
        <source>请先在列表中选择尚未分派的条目（可按住 Ctrl 多选）。</source>
        <translation>First select items not yet assigned in the list (hold Ctrl to select several).</translation>
    </message>
    <message>
        <source>分派约谈</source>
        <translation>Assigning interviews</translation>
    </message>
    <message>
        <source>已分派 {count} 项任务；执法人员下次同步后即可离线办理。</source>
        <translation>{count} tasks assigned; the inspectors can work on them offline after their next sync.</translation>
    </message>
    <message>
        <source>抽查比例提高至</source>
        <translation>Sampling rate raised to</translation>
    </message>
    <message>
        <source>承诺核查、风险预警和逾期整改跟进：监管人员的列表取自市级平台，不在本机保存；执法人员的“逾期未整改”列表取自本机，离线可用。</source>
        <translation>Commitment verification, risk warnings and overdue rectification: supervisors&apos; lists come from the municipal platform and are not kept on this computer; an inspector&apos;s overdue list comes from this computer and works offline.</translation>
    </message>
    <message>
        <source>风险预警</source>
        <translation>Risk warnings</translation>
    </message>
    <message>
        <source>本机未连接市级平台。</source>
        <translation>This computer is not connected to the municipal platform.</translation>
    </message>
    <message>
        <source>告知承诺</source>
        <translation>Notification commitment</translation>
    </message>
    <message>
        <source>容缺受理</source>
        <translation>Tolerance acceptance</translation>
    </message>
    <message>
        <source>已分派 {task}</source>
        <translation>Assigned {task}</translation>
    </message>
    <message>
        <source>已逾期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>待分派</source>
        <translation>To assign</translation>
    </message>
    <message>
        <source>共 {count} 份，逾期未分派 {overdue} 份</source>
        <translation>{count} in all, {overdue} overdue and not assigned</translation>
    </message>
    <message>
        <source>共 {count} 户主体触发预警（{day} 评估，规则第 {rev} 版）</source>
        <translation>{count} entities flagged (evaluated {day}, rules revision {rev})</translation>
    </message>
    <message>
        <source>请至少勾选一名执法人员。</source>
        <translation>Tick at least one inspector.</translation>
    </message>
    <message>
        <source>分派核查</source>
        <translation>Assigning verification</translation>
    </message>
</context>
<context>
    <name>HelpWindow</name>
    <message>
        <source>使用手册 — 信用监管工作台</source>
        <translation>User manual — Credit Desk</translation>
    </message>
    <message>
        <source>后退</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>后退（Alt+←）</source>
        <translation>Back (Alt+←)</translation>
    </message>
    <message>
        <source>前进</source>
        <translation>Forward</translation>
    </message>
    <message>
        <source>前进（Alt+→）</source>
        <translation>Forward (Alt+→)</translation>
    </message>
    <message>
        <source>目录</source>
        <translation>Contents</translation>
    </message>
    <message>
        <source>使用手册的目录</source>
        <translation>The user manual&apos;s table of contents</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>找不到使用手册文件 {path}。安装可能不完整，请联系管理员。</source>
        <translation>The user manual file {path} is missing. The installation may be incomplete; please contact your administrator.</translation>
    </message>
</context>
<context>
    <name>InspectionForm</name>
    <message>
        <source>检查地点（默认为登记住所）</source>
        <translation>Place of inspection (defaults to the registered address)</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>职务，例如 法定代表人、店长</source>
        <translation>Position, e.g. legal representative, store manager</translation>
    </message>
    <message>
        <source>检查日期：</source>
        <translation>Inspection date:</translation>
    </message>
    <message>
        <source>检查地点：</source>
        <translation>Place:</translation>
    </message>
    <message>
        <source>在场人员：</source>
        <translation>Present on site:</translation>
    </message>
    <message>
        <source>其余均合格</source>
        <translation>All others compliant</translation>
    </message>
    <message>
        <source>把尚未填写的检查项都填为“合格”</source>
        <translation>Mark every item not yet filled in as “Compliant”</translation>
    </message>
    <message>
        <source>检查事项（双击“结果”“说明”填写）</source>
        <translation>Checklist items (double-click “Result” or “Note” to fill it in)</translation>
    </message>
    <message>
        <source>发现的问题，例如 未公示2023年度报告</source>
        <translation>Problem found, e.g. 2023 annual report not published</translation>
    </message>
    <message>
        <source>添加问题</source>
        <translation>Add problem</translation>
    </message>
    <message>
        <source>删除所选</source>
        <translation>Delete selected</translation>
    </message>
    <message>
        <source>发现的问题</source>
        <translation>Problems found</translation>
    </message>
    <message>
        <source> 个工作日</source>
        <translation> working days</translation>
    </message>
    <message>
        <source>警示内容：存在的问题、整改要求</source>
        <translation>Warning text: the problems found and the rectification required</translation>
    </message>
    <message>
        <source>检查结果向社会公开（双随机、一公开）</source>
        <translation>Make the inspection result public (“double random, one public”)</translation>
    </message>
    <message>
        <source>处理结果</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <source>整改期限：</source>
        <translation>Rectification deadline:</translation>
    </message>
    <message>
        <source>警示内容：</source>
        <translation>Warning text:</translation>
    </message>
    <message>
        <source>检查结论：</source>
        <translation>Conclusion:</translation>
    </message>
    <message>
        <source>期限至 {day}</source>
        <translation>due {day}</translation>
    </message>
    <message>
        <source>（不对应检查项）</source>
        <translation>(no checklist item)</translation>
    </message>
    <message>
        <source>该任务没有指定检查表。</source>
        <translation>No checklist is assigned to this task.</translation>
    </message>
    <message>
        <source>不填写时使用：{text}</source>
        <translation>If left blank: {text}</translation>
    </message>
    <message>
        <source>无需整改期限</source>
        <translation>No rectification deadline needed</translation>
    </message>
</context>
<context>
    <name>InspectionModels</name>
    <message>
        <source>待检查</source>
        <translation>To inspect</translation>
    </message>
    <message>
        <source>检查中</source>
        <translation>In progress</translation>
    </message>
    <message>
        <source>已完成</source>
        <translation>Completed</translation>
    </message>
    <message>
        <source>轻微</source>
        <translation>Minor</translation>
    </message>
    <message>
        <source>一般</source>
        <translation>Moderate</translation>
    </message>
    <message>
        <source>严重</source>
        <translation>Serious</translation>
    </message>
    <message>
        <source>合格</source>
        <translation>Compliant</translation>
    </message>
    <message>
        <source>不合格</source>
        <translation>Non-compliant</translation>
    </message>
    <message>
        <source>不涉及</source>
        <translation>Not applicable</translation>
    </message>
    <message>
        <source>未发现问题</source>
        <translation>No problems found</translation>
    </message>
    <message>
        <source>责令整改</source>
        <translation>Rectification ordered</translation>
    </message>
    <message>
        <source>失信警示</source>
        <translation>Dishonesty warning</translation>
    </message>
    <message>
        <source>移送立案</source>
        <translation>Referred for a case</translation>
    </message>
    <message>
        <source>提示约谈</source>
        <translation>Reminder interview</translation>
    </message>
    <message>
        <source>警示约谈</source>
        <translation>Warning interview</translation>
    </message>
    <message>
        <source>未填写</source>
        <translation>Not filled in</translation>
    </message>
    <message>
        <source>任务截止</source>
        <translation>Due</translation>
    </message>
    <message>
        <source>主体名称</source>
        <translation>Entity name</translation>
    </message>
    <message>
        <source>统一社会信用代码</source>
        <translation>Unified social credit code</translation>
    </message>
    <message>
        <source>抽查批次</source>
        <translation>Spot-check batch</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>已同步</source>
        <translation>Synced</translation>
    </message>
    <message>
        <source>待同步</source>
        <translation>Waiting for sync</translation>
    </message>
    <message>
        <source>序号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>检查事项</source>
        <translation>Checklist item</translation>
    </message>
    <message>
        <source>依据</source>
        <translation>Basis</translation>
    </message>
    <message>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>问题描述</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>程度</source>
        <translation>Severity</translation>
    </message>
    <message>
        <source>关联检查事项</source>
        <translation>Checklist item</translation>
    </message>
    <message>
        <source>检查日期</source>
        <translation>Inspection date</translation>
    </message>
    <message>
        <source>处理结果</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <source>检查结论</source>
        <translation>Conclusion</translation>
    </message>
    <message>
        <source>整改期限</source>
        <translation>Rectification deadline</translation>
    </message>
    <message>
        <source>整改情况</source>
        <translation>Rectification</translation>
    </message>
    <message>
        <source>整改中</source>
        <translation>Being rectified</translation>
    </message>
    <message>
        <source>名单</source>
        <translation>List</translation>
    </message>
    <message>
        <source>列入日期</source>
        <translation>Listed on</translation>
    </message>
    <message>
        <source>认定依据</source>
        <translation>Basis</translation>
    </message>
    <message>
        <source>相应措施</source>
        <translation>Measures</translation>
    </message>
</context>
<context>
    <name>InspectionWidgets</name>
    <message>
        <source>拍摄时间未知</source>
        <translation>Time taken unknown</translation>
    </message>
</context>
<context>
    <name>InspectionsPage</name>
    <message>
        <source>检查任务</source>
        <translation>Inspection tasks</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>按主体名称、代码或抽查批次筛选（Ctrl+F）</source>
        <translation>Filter by entity name, code or spot-check batch (Ctrl+F)</translation>
    </message>
    <message>
        <source>全部任务</source>
        <translation>All tasks</translation>
    </message>
    <message>
        <source>待检查</source>
        <translation>To inspect</translation>
    </message>
    <message>
        <source>已完成</source>
        <translation>Completed</translation>
    </message>
    <message>
        <source>已同步、尚未公开的检查结果</source>
        <translation>Synced results not yet published</translation>
    </message>
    <message>
        <source>检查结果应在作出之日起 7 个工作日内公开；请提醒负责公示的科室。</source>
        <translation>Inspection results must be published within 7 working days of being made; remind the department in charge of publication.</translation>
    </message>
    <message>
        <source>保存（Ctrl+S）</source>
        <translation>Save (Ctrl+S)</translation>
    </message>
    <message>
        <source>打印现场检查记录（Ctrl+P）</source>
        <translation>Print on-site inspection record (Ctrl+P)</translation>
    </message>
    <message>
        <source>打印整改通知书</source>
        <translation>Print rectification order</translation>
    </message>
    <message>
        <source>附加签字扫描件…</source>
        <translation>Attach signed scan…</translation>
    </message>
    <message>
        <source>更正已同步记录…</source>
        <translation>Correct synced record…</translation>
    </message>
    <message>
        <source>复查</source>
        <translation>Re-inspection</translation>
    </message>
    <message>
        <source>以所选检查记录为基础，新建一份复查记录</source>
        <translation>Start a new re-inspection record from the selected inspection record</translation>
    </message>
    <message>
        <source>在左侧选择一项检查任务。</source>
        <translation>Select an inspection task on the left.</translation>
    </message>
    <message>
        <source>主体信息</source>
        <translation>Entity details</translation>
    </message>
    <message>
        <source>检查记录</source>
        <translation>Inspection record</translation>
    </message>
    <message>
        <source>照片</source>
        <translation>Photos</translation>
    </message>
    <message>
        <source>约谈</source>
        <translation>Interviews</translation>
    </message>
    <message>
        <source>统一社会信用代码：</source>
        <translation>Unified social credit code:</translation>
    </message>
    <message>
        <source>法定代表人：</source>
        <translation>Legal representative:</translation>
    </message>
    <message>
        <source>住所：</source>
        <translation>Address:</translation>
    </message>
    <message>
        <source>行业：</source>
        <translation>Industry:</translation>
    </message>
    <message>
        <source>抽查批次：</source>
        <translation>Spot-check batch:</translation>
    </message>
    <message>
        <source>下达 / 截止：</source>
        <translation>Assigned / due:</translation>
    </message>
    <message>
        <source>未完成整改：</source>
        <translation>Open rectifications:</translation>
    </message>
    <message>
        <source>所在名单及相应措施</source>
        <translation>Lists and their measures</translation>
    </message>
    <message>
        <source>该主体不在任何名单上。</source>
        <translation>This entity is not on any list.</translation>
    </message>
    <message>
        <source>以往检查结果</source>
        <translation>Earlier inspection results</translation>
    </message>
    <message>
        <source>检查记录：</source>
        <translation>Inspection record:</translation>
    </message>
    <message>
        <source>约谈人、被约谈人及职务，例如 张三（执法人员）、李四（法定代表人）</source>
        <translation>Interviewers and interviewees with their positions, e.g. Zhang San (enforcement officer), Li Si (legal representative)</translation>
    </message>
    <message>
        <source>约谈内容：指出的问题、整改要求</source>
        <translation>Interview content: the problems pointed out and the rectification required</translation>
    </message>
    <message>
        <source>被约谈方作出的承诺（可不填）</source>
        <translation>Commitments made by the interviewed party (optional)</translation>
    </message>
    <message>
        <source>记录约谈</source>
        <translation>Record interview</translation>
    </message>
    <message>
        <source>约谈地点（可不填，打印后手写）</source>
        <translation>Place of the interview (optional; can be written in by hand after printing)</translation>
    </message>
    <message>
        <source>打印约谈记录</source>
        <translation>Print interview record</translation>
    </message>
    <message>
        <source>逾期未整改的，可进行提示约谈或警示约谈；约谈记录同步后记入该主体的信用记录。</source>
        <translation>Where rectification is overdue, a reminder interview or a warning interview can be held; once synced, the interview is entered in the entity&apos;s credit record.</translation>
    </message>
    <message>
        <source>约谈日期：</source>
        <translation>Date:</translation>
    </message>
    <message>
        <source>约谈类型：</source>
        <translation>Interview type:</translation>
    </message>
    <message>
        <source>参加人员：</source>
        <translation>Participants:</translation>
    </message>
    <message>
        <source>约谈地点：</source>
        <translation>Place:</translation>
    </message>
    <message>
        <source>约谈内容：</source>
        <translation>Content:</translation>
    </message>
    <message>
        <source>作出的承诺：</source>
        <translation>Commitments made:</translation>
    </message>
    <message>
        <source>已同步、尚未公开的检查结果（{count}）</source>
        <translation>Synced results not yet published ({count})</translation>
    </message>
    <message>
        <source>本机还没有检查任务。请在有网络时同步一次，任务和检查表会缓存到本机。</source>
        <translation>This computer has no inspection tasks yet. Sync once while online; the tasks and checklists are then cached on this computer.</translation>
    </message>
    <message>
        <source>离线可用：本机已缓存 {total} 项检查任务（待检查 {todo} 项，已完成 {done} 项）及其检查表和主体信息。无网络时也可检查、拍照、保存，联网后自动同步。</source>
        <translation>Available offline: {total} inspection tasks ({todo} to inspect, {done} completed) are cached on this computer with their checklists and entity details. Without a network you can still inspect, take photos and save; everything syncs automatically once online.</translation>
    </message>
    <message>
        <source>共 {total} 项任务</source>
        <translation>{total} tasks</translation>
    </message>
    <message>
        <source>显示 {shown} 项，共 {total} 项</source>
        <translation>{shown} of {total} shown</translation>
    </message>
    <message>
        <source>放弃未保存的修改？</source>
        <translation>Discard unsaved changes?</translation>
    </message>
    <message>
        <source>当前检查记录有未保存的修改，继续将放弃这些修改。
要先保存，请点“取消”，再按 Ctrl+S。</source>
        <translation>The inspection record has unsaved changes; continuing discards them.
To save them first, click “Cancel”, then press Ctrl+S.</translation>
    </message>
    <message>
        <source>{count} 项</source>
        <translation>{count}</translation>
    </message>
    <message>
        <source>无</source>
        <translation>none</translation>
    </message>
    <message>
        <source>内部风险分类（仅供执法人员参阅）：{grade}</source>
        <translation>Internal risk class (for enforcement officers only): {grade}</translation>
    </message>
    <message>
        <source>未评定</source>
        <translation>not rated</translation>
    </message>
    <message>
        <source>检查</source>
        <translation>Inspection</translation>
    </message>
    <message>
        <source>新的复查记录（未保存）</source>
        <translation>New re-inspection record (not saved)</translation>
    </message>
    <message>
        <source>新的检查记录（未保存）</source>
        <translation>New inspection record (not saved)</translation>
    </message>
    <message>
        <source>未保存</source>
        <translation>Not saved</translation>
    </message>
    <message>
        <source>复查记录，保存后可添加照片。</source>
        <translation>Re-inspection record; photos can be added once it is saved.</translation>
    </message>
    <message>
        <source>保存后可添加照片、打印现场检查记录。</source>
        <translation>Once it is saved, photos can be added and the on-site inspection record printed.</translation>
    </message>
    <message>
        <source>已同步</source>
        <translation>Synced</translation>
    </message>
    <message>
        <source>待同步</source>
        <translation>Waiting for sync</translation>
    </message>
    <message>
        <source>未公开</source>
        <translation>Not yet published</translation>
    </message>
    <message>
        <source>该结果已同步到平台，应予公开但尚未公开。</source>
        <translation>This result is synced to the platform and should be public, but it is not yet published.</translation>
    </message>
    <message>
        <source>照片 {count} 张</source>
        <translation>{count} photos</translation>
    </message>
    <message>
        <source>签字扫描件 {count} 份</source>
        <translation>{count} signed scans</translation>
    </message>
    <message>
        <source>整改期限至 {day}</source>
        <translation>rectify by {day}</translation>
    </message>
    <message>
        <source>已更正 {count} 次</source>
        <translation>corrected {count} times</translation>
    </message>
    <message>
        <source>不公开</source>
        <translation>Not public</translation>
    </message>
    <message>
        <source>已同步的记录请用“更正已同步记录…”修改。</source>
        <translation>To change a synced record, use “Correct synced record…”.</translation>
    </message>
    <message>
        <source>复查 {day} 的检查结果：原不合格的检查项已清空，请逐项复查后保存。</source>
        <translation>Re-inspection of the result of {day}: the items that were non-compliant are cleared; check each of them again, then save.</translation>
    </message>
    <message>
        <source>该记录已同步到平台，不能直接修改。如需更正，请用“更正已同步记录…”。</source>
        <translation>This record is synced to the platform and cannot be changed directly. To correct it, use “Correct synced record…”.</translation>
    </message>
    <message>
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>检查记录已保存（{outcome}），将在联网后同步。</source>
        <translation>Inspection record saved ({outcome}); it will be synced once online.</translation>
    </message>
    <message>
        <source>检查记录已保存。保存开始后输入的内容尚未保存，请再按 Ctrl+S 保存。</source>
        <translation>Inspection record saved. What you typed after the save began is not saved yet; press Ctrl+S again.</translation>
    </message>
    <message>
        <source>已更正检查记录，原内容和更正原因已留存，将在联网后同步。</source>
        <translation>Inspection record corrected; the original content and the reason for the correction are kept. It will be synced once online.</translation>
    </message>
    <message>
        <source>该记录已同步，不能再添加或移除照片。</source>
        <translation>This record is synced; photos can no longer be added or removed.</translation>
    </message>
    <message>
        <source>请先保存检查记录，再添加照片。</source>
        <translation>Save the inspection record first, then add photos.</translation>
    </message>
    <message>
        <source>所选文件夹中没有照片。</source>
        <translation>The chosen folder has no photos.</translation>
    </message>
    <message>
        <source>已添加 {count} 张照片（已加密保存）。</source>
        <translation>{count} photos added (stored encrypted).</translation>
    </message>
    <message>
        <source>以下文件未能添加：</source>
        <translation>These files could not be added:</translation>
    </message>
    <message>
        <source>已移除照片。</source>
        <translation>Photo removed.</translation>
    </message>
    <message>
        <source>附加签字扫描件</source>
        <translation>Attach signed scan</translation>
    </message>
    <message>
        <source>已附加签字扫描件“{name}”（已加密保存）。</source>
        <translation>Signed scan “{name}” attached (stored encrypted).</translation>
    </message>
    <message>
        <source>已记录{kind}，将在联网后同步。可打印约谈记录交双方签字。</source>
        <translation>{kind} recorded; it syncs when online. Print the interview record for both sides to sign.</translation>
    </message>
</context>
<context>
    <name>IntakeDialog</name>
    <message>
        <source>受理异议申请</source>
        <translation>Take an objection</translation>
    </message>
    <message>
        <source>受理信用修复申请</source>
        <translation>Take a credit repair application</translation>
    </message>
    <message>
        <source>统一社会信用代码</source>
        <translation>Unified social credit code</translation>
    </message>
    <message>
        <source>查找记录</source>
        <translation>Find records</translation>
    </message>
    <message>
        <source>法定代表人 / 委托代理人</source>
        <translation>Legal representative / authorised agent</translation>
    </message>
    <message>
        <source>认为记录有误之处</source>
        <translation>What is wrong in the record</translation>
    </message>
    <message>
        <source>整改情况、履行法定义务情况、作出的信用修复承诺</source>
        <translation>Rectification, obligations fulfilled, the credit repair commitment made</translation>
    </message>
    <message>
        <source>证据，多项用顿号分隔</source>
        <translation>Evidence, several separated by 、</translation>
    </message>
    <message>
        <source>已提交材料，多项用顿号分隔</source>
        <translation>Materials received, several separated by 、</translation>
    </message>
    <message>
        <source>受理并保存（Ctrl+Enter）</source>
        <translation>Take and save (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>主体：</source>
        <translation>Entity:</translation>
    </message>
    <message>
        <source>记录：</source>
        <translation>Record:</translation>
    </message>
    <message>
        <source>修复方式：</source>
        <translation>Way of repair:</translation>
    </message>
    <message>
        <source>异议人：</source>
        <translation>Objector:</translation>
    </message>
    <message>
        <source>申请人：</source>
        <translation>Applicant:</translation>
    </message>
    <message>
        <source>身份：</source>
        <translation>Role:</translation>
    </message>
    <message>
        <source>联系电话：</source>
        <translation>Phone:</translation>
    </message>
    <message>
        <source>异议内容：</source>
        <translation>Disputed:</translation>
    </message>
    <message>
        <source>申请理由：</source>
        <translation>Grounds:</translation>
    </message>
    <message>
        <source>证据：</source>
        <translation>Evidence:</translation>
    </message>
    <message>
        <source>材料：</source>
        <translation>Materials:</translation>
    </message>
    <message>
        <source>作出信用承诺</source>
        <translation>Credit commitment</translation>
    </message>
    <message>
        <source>完成整改</source>
        <translation>Rectification</translation>
    </message>
    <message>
        <source>提交核查说明</source>
        <translation>Verification statement</translation>
    </message>
    <message>
        <source>参加信用修复培训</source>
        <translation>Credit repair training</translation>
    </message>
    <message>
        <source>提交信用报告</source>
        <translation>Credit report</translation>
    </message>
    <message>
        <source>参加公益慈善活动</source>
        <translation>Public-interest work</translation>
    </message>
    <message>
        <source>最早可申请：{date}</source>
        <translation>Earliest application: {date}</translation>
    </message>
    <message>
        <source>该主体没有可办理的公示期内记录。</source>
        <translation>The entity has no record within its publication period to act on.</translation>
    </message>
    <message>
        <source>请先查找主体并选择一条记录。</source>
        <translation>Find the entity and choose a record first.</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>登录市级平台</source>
        <translation>Log in to the municipal platform</translation>
    </message>
    <message>
        <source>平台地址</source>
        <translation>Platform address</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>演示模式：已填入演示账号 {user}（密码 {password}）。</source>
        <translation>Demo mode: the demo account {user} (password {password}) is filled in.</translation>
    </message>
    <message>
        <source>登录</source>
        <translation>Log in</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>请填写用户名和密码。</source>
        <translation>Enter the user name and the password.</translation>
    </message>
</context>
<context>
    <name>LookupPage</name>
    <message>
        <source>输入统一社会信用代码、名称，或粘贴营业执照二维码内容</source>
        <translation>Enter a unified social credit code or a name, or paste the business licence QR code text</translation>
    </message>
    <message>
        <source>查询</source>
        <translation>Search</translation>
    </message>
    <message>
        <source>查人员(&amp;P)</source>
        <translation>&amp;Person</translation>
    </message>
    <message>
        <source>按法定代表人或主要负责人查询其名下的市场主体：输入姓名，可加身份证号（仅按脱敏号码比对，不保存完整号码）</source>
        <translation>Find the entities a legal representative or principal runs: type the name, optionally with the ID number (compared masked only; the full number is never kept)</translation>
    </message>
    <message>
        <source>查询事由：每次信用核查都记入审计日志</source>
        <translation>Purpose of the lookup: every credit check is written to the audit log</translation>
    </message>
    <message>
        <source>行政审批受理</source>
        <translation>Administrative approval intake</translation>
    </message>
    <message>
        <source>容缺受理审查</source>
        <translation>Tolerance acceptance review</translation>
    </message>
    <message>
        <source>告知承诺审查</source>
        <translation>Notification and commitment review</translation>
    </message>
    <message>
        <source>出具信用报告</source>
        <translation>Issue a credit report</translation>
    </message>
    <message>
        <source>日常监管</source>
        <translation>Routine supervision</translation>
    </message>
    <message>
        <source>咨询答复</source>
        <translation>Answering an inquiry</translation>
    </message>
    <message>
        <source>查询事由：</source>
        <translation>Purpose:</translation>
    </message>
    <message>
        <source>仍然使用（需填写理由）</source>
        <translation>Use anyway (reason required)</translation>
    </message>
    <message>
        <source>输入法定代表人或主要负责人的姓名，可加身份证号，例如：张三 140403199001011234</source>
        <translation>Name of the legal representative or principal, optionally with the ID number, e.g. 张三 140403199001011234</translation>
    </message>
    <message>
        <source>正在查询…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <source>本地缓存已更新（同步或导入）。请重新查询以查看该主体的最新信用信息。</source>
        <translation>The local cache was updated (sync or import). Look the entity up again to see its latest credit information.</translation>
    </message>
    <message>
        <source>用时 {ms} 毫秒</source>
        <translation>took {ms} ms</translation>
    </message>
    <message>
        <source>共 {count} 条</source>
        <translation>{count} found</translation>
    </message>
    <message>
        <source>仅显示前 {limit} 条，请输入更完整的名称</source>
        <translation>only the first {limit} are shown; type more of the name</translation>
    </message>
    <message>
        <source>，</source>
        <translation>, </translation>
    </message>
    <message>
        <source>本地缓存中没有名称包含“{query}”的主体。</source>
        <translation>No entity in the local cache has &quot;{query}&quot; in its name.</translation>
    </message>
    <message>
        <source>法定代表人或主要负责人“{person}”名下的主体：共 {count} 户，{took}</source>
        <translation>Entities run by legal representative or principal &quot;{person}&quot;: {count}, {took}</translation>
    </message>
    <message>
        <source>本地缓存中没有法定代表人或主要负责人为“{person}”的主体。同名不同人时请加身份证号查询。</source>
        <translation>No entity in the local cache has &quot;{person}&quot; as legal representative or principal. Add the ID number to tell namesakes apart.</translation>
    </message>
    <message>
        <source>统一社会信用代码 {code}，{took}</source>
        <translation>Unified social credit code {code}, {took}</translation>
    </message>
    <message>
        <source>该统一社会信用代码有误：</source>
        <translation>This unified social credit code is wrong:</translation>
    </message>
    <message>
        <source>本地缓存中没有该主体，请同步后重试。</source>
        <translation>This entity is not in the local cache. Sync, then try again.</translation>
    </message>
    <message>
        <source>例外使用统一社会信用代码</source>
        <translation>Use a unified social credit code as an exception</translation>
    </message>
    <message>
        <source>代码 {code} 的校验码与其余各位不符。
如已与营业执照原件核对一致，请填写仍然使用的理由（将记入审计日志并上报）：</source>
        <translation>The check digit of {code} does not match its other characters.
If it matches the original business licence, give the reason for using it anyway (it is written to the audit log and reported):</translation>
    </message>
    <message>
        <source>确认使用</source>
        <translation>Use this code</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>已记录例外使用代码 {code}，理由已存档，将在同步时上报。</source>
        <translation>The exceptional use of {code} is recorded with its reason and will be reported at the next sync.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>信用监管工作台</source>
        <translation>Credit Desk</translation>
    </message>
    <message>
        <source>工作台</source>
        <translation>Workbench</translation>
    </message>
    <message>
        <source>主体查询</source>
        <translation>Entity lookup</translation>
    </message>
    <message>
        <source>信用承诺</source>
        <translation>Credit commitments</translation>
    </message>
    <message>
        <source>诚信教育</source>
        <translation>Integrity education</translation>
    </message>
    <message>
        <source>检查任务</source>
        <translation>Inspection tasks</translation>
    </message>
    <message>
        <source>报告打印</source>
        <translation>Reports</translation>
    </message>
    <message>
        <source>修复与异议</source>
        <translation>Repair &amp; objections</translation>
    </message>
    <message>
        <source>跟踪督办</source>
        <translation>Follow-up</translation>
    </message>
    <message>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>公示台账</source>
        <translation>Publication desk</translation>
    </message>
    <message>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>使用手册</source>
        <translation>User manual</translation>
    </message>
    <message>
        <source>核验报告</source>
        <translation>Check a report</translation>
    </message>
    <message>
        <source>帮助</source>
        <translation>Help</translation>
    </message>
    <message>
        <source>使用手册（F1）、入门指南、关于</source>
        <translation>User manual (F1), getting started, about</translation>
    </message>
    <message>
        <source>本页使用手册（F1）</source>
        <translation>Manual for this page (F1)</translation>
    </message>
    <message>
        <source>入门指南</source>
        <translation>Getting started</translation>
    </message>
    <message>
        <source>关于信用监管工作台</source>
        <translation>About Credit Desk</translation>
    </message>
    <message>
        <source>经办人 {name}</source>
        <translation>Handled by {name}</translation>
    </message>
    <message>
        <source>表单、承诺书和审计日志中记录的经办人（登录市级平台的工作人员）</source>
        <translation>The staff member recorded on forms, letters and in the audit log (the one logged in to the municipal platform)</translation>
    </message>
    <message>
        <source>尚未登录市级平台：经办人暂记为本机账户名，登录后将使用您的姓名。</source>
        <translation>Not logged in to the municipal platform: the computer&apos;s account name stands in as the handler until you log in; then your name is used.</translation>
    </message>
    <message>
        <source>查找主体</source>
        <translation>Find entity</translation>
    </message>
    <message>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>上次同步 {time}</source>
        <translation>Last sync {time}</translation>
    </message>
    <message>
        <source>尚未同步</source>
        <translation>Never synced</translation>
    </message>
    <message>
        <source>待同步 {count} 条</source>
        <translation>{count} to sync</translation>
    </message>
    <message>
        <source>本地缓存 {count} 个主体</source>
        <translation>{count} entities cached</translation>
    </message>
    <message>
        <source>待同步 ? 条（读取失败）</source>
        <translation>? to sync (could not read)</translation>
    </message>
</context>
<context>
    <name>MarkPublishedDialog</name>
    <message>
        <source>登记已公示</source>
        <translation>Record as published</translation>
    </message>
    <message>
        <source>信用长治网站“双公示”栏目</source>
        <translation>Credit Changzhi website, “double publicity” column</translation>
    </message>
    <message>
        <source>信用中国（山西）网站</source>
        <translation>Credit China (Shanxi) website</translation>
    </message>
    <message>
        <source>登记（Ctrl+Enter）</source>
        <translation>Record (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>条目：</source>
        <translation>Items:</translation>
    </message>
    <message>
        <source>已选 {count} 条</source>
        <translation>{count} selected</translation>
    </message>
    <message>
        <source>公示日期：</source>
        <translation>Published on:</translation>
    </message>
    <message>
        <source>公示网站（栏目）：</source>
        <translation>Website (column):</translation>
    </message>
    <message>
        <source>公示日期为网站上实际发布的日期，不能晚于今天，也不能早于决定日期。</source>
        <translation>The publication date is the day it actually went online: not after today and not before the decision.</translation>
    </message>
    <message>
        <source>请填写公示的网站或栏目，例如“信用长治网站”。</source>
        <translation>Enter the website or column where it was published, e.g. “Credit Changzhi website”.</translation>
    </message>
</context>
<context>
    <name>MeasureDialog</name>
    <message>
        <source>记录联合奖惩措施实施情况</source>
        <translation>Record joint reward and punishment measures</translation>
    </message>
    <message>
        <source>{name}：以下为其所在名单规定的措施。请对本次办理涉及的措施选择“已实施”或“不适用”（须写明理由），未涉及的保持“未记录”。记录保存在本机，联网后同步。</source>
        <translation>{name}: these are the measures its lists call for. For those this case touched choose “Applied” or “Not applicable” (with the reason); leave the others “Not recorded”. The records are kept on this computer and sync when online.</translation>
    </message>
    <message>
        <source>本次办理的事项，例如 食品经营许可（可不填）</source>
        <translation>The matter handled, e.g. food business licence (optional)</translation>
    </message>
    <message>
        <source>名单</source>
        <translation>List</translation>
    </message>
    <message>
        <source>措施</source>
        <translation>Measure</translation>
    </message>
    <message>
        <source>实施情况</source>
        <translation>Handling</translation>
    </message>
    <message>
        <source>不适用的理由</source>
        <translation>Why not applicable</translation>
    </message>
    <message>
        <source>今日已记录</source>
        <translation>Recorded today</translation>
    </message>
    <message>
        <source>保存（Ctrl+Enter）</source>
        <translation>Save (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>办理事项：</source>
        <translation>Matter:</translation>
    </message>
    <message>
        <source>已实施</source>
        <translation>Applied</translation>
    </message>
    <message>
        <source>不适用</source>
        <translation>Not applicable</translation>
    </message>
    <message>
        <source>未记录</source>
        <translation>Not recorded</translation>
    </message>
    <message>
        <source>不适用时必填</source>
        <translation>Required when not applicable</translation>
    </message>
    <message>
        <source>该主体当前不在任何规定措施的名单内。</source>
        <translation>The entity is on no list that calls for measures.</translation>
    </message>
    <message>
        <source>请至少为一项措施选择实施情况。</source>
        <translation>Choose the handling of at least one measure.</translation>
    </message>
    <message>
        <source>已记录 {count} 项措施的实施情况，联网后同步到平台。</source>
        <translation>Handling of {count} measures recorded; it syncs to the platform when online.</translation>
    </message>
</context>
<context>
    <name>MonthlyStatsModel</name>
    <message>
        <source>月份</source>
        <translation>Month</translation>
    </message>
    <message>
        <source>场次</source>
        <translation>Sessions</translation>
    </message>
    <message>
        <source>参训人次</source>
        <translation>Attendances</translation>
    </message>
    <message>
        <source>参训主体</source>
        <translation>Entities</translation>
    </message>
    <message>
        <source>合计</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>{month}月</source>
        <translation>{month}</translation>
    </message>
</context>
<context>
    <name>NewCommitmentDialog</name>
    <message>
        <source>新建信用承诺</source>
        <translation>New credit commitment</translation>
    </message>
    <message>
        <source>统一社会信用代码，或粘贴/扫描营业执照二维码内容</source>
        <translation>Unified social credit code, or paste/scan the business licence QR code text</translation>
    </message>
    <message>
        <source>输入代码后显示主体名称</source>
        <translation>The entity name is shown once the code is entered</translation>
    </message>
    <message>
        <source>承诺人姓名</source>
        <translation>Signatory&apos;s name</translation>
    </message>
    <message>
        <source>联系电话（选填）</source>
        <translation>Phone (optional)</translation>
    </message>
    <message>
        <source>容缺材料与补齐期限</source>
        <translation>Missing materials and deadline</translation>
    </message>
    <message>
        <source> 个工作日</source>
        <translation> working days</translation>
    </message>
    <message>
        <source>自签署次日起计算，节假日顺延</source>
        <translation>Counted from the day after signing; extended past public holidays</translation>
    </message>
    <message>
        <source>补齐期限：</source>
        <translation>Deadline:</translation>
    </message>
    <message>
        <source>勾选申请人暂缺的材料，并注明应补交的形式：</source>
        <translation>Tick the materials the applicant is missing, and state the form in which each is to be submitted:</translation>
    </message>
    <message>
        <source>公开承诺（在信用网站公示，接受社会监督）</source>
        <translation>Public commitment (published on the credit website, open to public scrutiny)</translation>
    </message>
    <message>
        <source>备注（选填）</source>
        <translation>Note (optional)</translation>
    </message>
    <message>
        <source>签署并保存（Ctrl+Enter）</source>
        <translation>Sign and save (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>保存草稿</source>
        <translation>Save draft</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>主体：</source>
        <translation>Entity:</translation>
    </message>
    <message>
        <source>领域：</source>
        <translation>Field:</translation>
    </message>
    <message>
        <source>办理事项：</source>
        <translation>Matter:</translation>
    </message>
    <message>
        <source>承诺类型：</source>
        <translation>Commitment type:</translation>
    </message>
    <message>
        <source>承诺人：</source>
        <translation>Signatory:</translation>
    </message>
    <message>
        <source>身份：</source>
        <translation>Role:</translation>
    </message>
    <message>
        <source>联系电话：</source>
        <translation>Phone:</translation>
    </message>
    <message>
        <source>请输入统一社会信用代码（或粘贴营业执照二维码内容），而不是名称。</source>
        <translation>Enter a unified social credit code (or paste the business licence QR code text), not a name.</translation>
    </message>
    <message>
        <source>统一社会信用代码有误</source>
        <translation>The unified social credit code is wrong</translation>
    </message>
    <message>
        <source>{code} 不在本地缓存中，请核对代码，或同步后再试。</source>
        <translation>{code} is not in the local cache. Check the code, or sync and try again.</translation>
    </message>
    <message>
        <source>该主体在信用名单内，办理本事项时适用：</source>
        <translation>The entity is on a credit list; for this matter the following apply:</translation>
    </message>
    <message>
        <source>本机还没有信用承诺事项清单，无法办理承诺。请联网同步后再试，或联系管理员导入本地的事项清单。</source>
        <translation>This computer has no list of credit commitment matters yet, so no commitment can be taken. Sync while online and try again, or ask your administrator to import a local list of matters.</translation>
    </message>
    <message>
        <source>法律依据：{basis}</source>
        <translation>Legal basis: {basis}</translation>
    </message>
    <message>
        <source>实施机关：{authority}</source>
        <translation>Implementing authority: {authority}</translation>
    </message>
    <message>
        <source>所需材料：{materials}</source>
        <translation>Required materials: {materials}</translation>
    </message>
    <message>
        <source>无</source>
        <translation>none</translation>
    </message>
    <message>
        <source>请先选择办理事项和承诺类型。</source>
        <translation>First choose the matter and the commitment type.</translation>
    </message>
    <message>
        <source>承诺已保存（{name}）。保存开始后输入的内容不在其中，仍留在表单中（未保存）：核对后可作为新的承诺保存，或点“取消”放弃。</source>
        <translation>Commitment saved ({name}). What you typed after the save began is not in it and stays in the form (unsaved): check it and save it as a new commitment, or click &quot;Cancel&quot; to drop it.</translation>
    </message>
    <message>
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
</context>
<context>
    <name>PdfExport</name>
    <message>
        <source>导出 PDF</source>
        <translation>Export PDF</translation>
    </message>
    <message>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <source>正在生成 PDF…</source>
        <translation>Creating the PDF…</translation>
    </message>
    <message>
        <source>已导出 PDF（共 {pages} 页）：{path}</source>
        <translation>PDF exported ({pages} pages): {path}</translation>
    </message>
    <message>
        <source>。注意：字库缺少“{chars}”，这些字可能显示为空白，请核对。</source>
        <translation>. Note: the font lacks &quot;{chars}&quot;; these characters may print blank, please check.</translation>
    </message>
    <message>
        <source>无法在“{folder}”写入 PDF（{error}）。文件没有生成，请再次点击“导出 PDF”，换一个可写的文件夹保存。</source>
        <translation>Cannot write the PDF in &quot;{folder}&quot; ({error}). No file was made: click &quot;Export PDF&quot; again and choose a folder you can write to.</translation>
    </message>
</context>
<context>
    <name>PendingPage</name>
    <message>
        <source>本模块将在后续版本中提供。</source>
        <translation>This module will be available in a later release.</translation>
    </message>
</context>
<context>
    <name>PhotoPanel</name>
    <message>
        <source>照片 (*.jpg *.jpeg *.png *.heic *.heif *.webp *.bmp *.tif *.tiff);;所有文件 (*)</source>
        <translation>Photos (*.jpg *.jpeg *.png *.heic *.heif *.webp *.bmp *.tif *.tiff);;All files (*)</translation>
    </message>
    <message>
        <source>导入照片…</source>
        <translation>Import photos…</translation>
    </message>
    <message>
        <source>从文件夹导入…</source>
        <translation>Import from folder…</translation>
    </message>
    <message>
        <source>移除所选照片</source>
        <translation>Remove selected photo</translation>
    </message>
    <message>
        <source>保存检查记录后即可添加照片。</source>
        <translation>Photos can be added once the inspection record is saved.</translation>
    </message>
    <message>
        <source>共 {count} 张照片，已加密保存在本机。双击查看大图。</source>
        <translation>{count} photos, stored encrypted on this computer. Double-click one to see it larger.</translation>
    </message>
    <message>
        <source>还没有照片。可导入相机或手机拍摄的照片，或整个文件夹。</source>
        <translation>No photos yet. Import photos taken with a camera or phone, or a whole folder.</translation>
    </message>
    <message>
        <source>导入照片</source>
        <translation>Import photos</translation>
    </message>
    <message>
        <source>从文件夹导入照片</source>
        <translation>Import photos from folder</translation>
    </message>
</context>
<context>
    <name>PhotoPreviewDialog</name>
    <message>
        <source>照片：{caption}</source>
        <translation>Photo: {caption}</translation>
    </message>
    <message>
        <source>正在加载照片…</source>
        <translation>Loading the photo…</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>无法显示该照片。</source>
        <translation>This photo cannot be shown.</translation>
    </message>
</context>
<context>
    <name>Printing</name>
    <message>
        <source>打印预览：{title}</source>
        <translation>Print preview: {title}</translation>
    </message>
    <message>
        <source>导出 PDF</source>
        <translation>Export PDF</translation>
    </message>
    <message>
        <source>把本文档保存为 PDF 文件（Ctrl+S）</source>
        <translation>Save this document as a PDF file (Ctrl+S)</translation>
    </message>
    <message>
        <source>打印预览 — {title} {number}</source>
        <translation>Print preview — {title} {number}</translation>
    </message>
    <message>
        <source>无法开始打印：打印机或文件不可用。请检查打印机连接，或改为导出 PDF。</source>
        <translation>Cannot start printing: the printer or file is not available. Check the printer connection, or export a PDF instead.</translation>
    </message>
    <message>
        <source>打印在第 {page} 页中断。</source>
        <translation>Printing stopped at page {page}.</translation>
    </message>
</context>
<context>
    <name>PublicationsPage</name>
    <message>
        <source>公示台账</source>
        <translation>Publication desk</translation>
    </message>
    <message>
        <source>行政许可、行政处罚、检查结果、失信警示、约谈和信用修复决定等，须自作出决定之日起 7 个工作日内上网公示（截止日期按法定节假日和调休计算）。列表取自市级平台，不在本机保存。</source>
        <translation>Licences, penalties, inspection results, warnings, interviews, credit repair decisions and the like must go online within 7 working days of the decision (deadlines count the official holidays and make-up days). The list comes from the municipal platform and is not kept on this computer.</translation>
    </message>
    <message>
        <source>待公示（含逾期）</source>
        <translation>To publish (incl. overdue)</translation>
    </message>
    <message>
        <source>已逾期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>已公示</source>
        <translation>Published</translation>
    </message>
    <message>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <source>全部类型</source>
        <translation>All types</translation>
    </message>
    <message>
        <source>全部单位</source>
        <translation>All units</translation>
    </message>
    <message>
        <source>正在从市级平台读取…</source>
        <translation>Reading from the municipal platform…</translation>
    </message>
    <message>
        <source>刷新（F5）</source>
        <translation>Refresh (F5)</translation>
    </message>
    <message>
        <source>登记已公示…</source>
        <translation>Record as published…</translation>
    </message>
    <message>
        <source>为所选条目登记公示日期和公示网站（可多选）</source>
        <translation>Record the publication date and website of the selected items (several may be selected)</translation>
    </message>
    <message>
        <source>导出（Ctrl+E）…</source>
        <translation>Export (Ctrl+E)…</translation>
    </message>
    <message>
        <source>将当前列表导出为 Excel（.xlsx）或 CSV 文件</source>
        <translation>Export the list as an Excel (.xlsx) or CSV file</translation>
    </message>
    <message>
        <source>作出单位</source>
        <translation>Deciding unit</translation>
    </message>
    <message>
        <source>按时公示</source>
        <translation>On time</translation>
    </message>
    <message>
        <source>逾期公示</source>
        <translation>Late</translation>
    </message>
    <message>
        <source>未公示</source>
        <translation>Not published</translation>
    </message>
    <message>
        <source>其中已逾期</source>
        <translation>of which overdue</translation>
    </message>
    <message>
        <source>合计</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>各单位公示情况</source>
        <translation>Publication by unit</translation>
    </message>
    <message>
        <source>状态：</source>
        <translation>Status:</translation>
    </message>
    <message>
        <source>类型：</source>
        <translation>Type:</translation>
    </message>
    <message>
        <source>作出单位：</source>
        <translation>Unit:</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>主体名称</source>
        <translation>Entity name</translation>
    </message>
    <message>
        <source>统一社会信用代码</source>
        <translation>Unified social credit code</translation>
    </message>
    <message>
        <source>事项</source>
        <translation>Matter</translation>
    </message>
    <message>
        <source>决定日期</source>
        <translation>Decided on</translation>
    </message>
    <message>
        <source>公示截止日期</source>
        <translation>Publish by</translation>
    </message>
    <message>
        <source>待定</source>
        <translation>Pending</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>逾期公示（{day}）</source>
        <translation>Published late ({day})</translation>
    </message>
    <message>
        <source>已公示（{day}）</source>
        <translation>Published ({day})</translation>
    </message>
    <message>
        <source>待公示（截止日期待定）</source>
        <translation>To publish (deadline not yet known)</translation>
    </message>
    <message>
        <source>待公示</source>
        <translation>To publish</translation>
    </message>
    <message>
        <source>公示台账供科室负责人和管理员使用；请以监管人员账户登录后查看。</source>
        <translation>The publication desk is for supervisors and administrators: log in with a supervisor account to see it.</translation>
    </message>
    <message>
        <source>公示台账需要连接市级平台；本机未设置平台地址，请在“同步”页设置并登录。</source>
        <translation>The publication desk needs the municipal platform; no platform address is set on this computer. Set it and log in on the Sync page.</translation>
    </message>
    <message>
        <source>共 {count} 条，已逾期 {overdue} 条</source>
        <translation>{count} items, {overdue} overdue</translation>
    </message>
    <message>
        <source>截至 {day}：共 {total} 条，按时公示 {on_time} 条，逾期公示 {late} 条，未公示 {pending} 条（其中已逾期 {overdue} 条）</source>
        <translation>As of {day}: {total} items, {on_time} published on time, {late} published late, {pending} not published ({overdue} of them overdue)</translation>
    </message>
    <message>
        <source>请先在列表中选择尚未公示的条目（可按住 Ctrl 或 Shift 多选）。</source>
        <translation>First select items not yet published (hold Ctrl or Shift to select several).</translation>
    </message>
    <message>
        <source>本机未连接市级平台，无法登记。</source>
        <translation>This computer is not connected to the municipal platform, so nothing can be recorded.</translation>
    </message>
    <message>
        <source>正在登记 {count} 条…</source>
        <translation>Recording {count} items…</translation>
    </message>
    <message>
        <source>登记已公示</source>
        <translation>Record as published</translation>
    </message>
    <message>
        <source>已登记 {done} 条；{count} 条未登记：{reasons}</source>
        <translation>{done} recorded; {count} not recorded: {reasons}</translation>
    </message>
    <message>
        <source>已登记 {count} 条为已公示（公示日期 {day}，{where}）。</source>
        <translation>{count} recorded as published (on {day}, {where}).</translation>
    </message>
    <message>
        <source>公示日期</source>
        <translation>Published on</translation>
    </message>
    <message>
        <source>公示网站（栏目）</source>
        <translation>Website (column)</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>列表为空，没有可导出的条目。</source>
        <translation>The list is empty: nothing to export.</translation>
    </message>
    <message>
        <source>公示台账_{status}_{day}.xlsx</source>
        <translation>publication-desk_{status}_{day}.xlsx</translation>
    </message>
    <message>
        <source>导出公示台账</source>
        <translation>Export the publication desk</translation>
    </message>
    <message>
        <source>Excel 工作簿 (*.xlsx);;CSV 文件（UTF-8） (*.csv)</source>
        <translation>Excel workbook (*.xlsx);;CSV file (UTF-8) (*.csv)</translation>
    </message>
    <message>
        <source>正在导出…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <source>已导出 {count} 条：{path}</source>
        <translation>{count} items exported: {path}</translation>
    </message>
    <message>
        <source>无法写入 {path}（{reason}）。请换一个有写入权限的文件夹，或关闭已打开的同名文件后重试。</source>
        <translation>Cannot write {path} ({reason}). Choose a folder you may write to, or close the open file of the same name, and try again.</translation>
    </message>
</context>
<context>
    <name>RepairsPage</name>
    <message>
        <source>信用修复与异议</source>
        <translation>Credit repair and objections</translation>
    </message>
    <message>
        <source>受理信用修复…</source>
        <translation>Take repair…</translation>
    </message>
    <message>
        <source>受理异议…</source>
        <translation>Take objection…</translation>
    </message>
    <message>
        <source>打印文书…</source>
        <translation>Print letter…</translation>
    </message>
    <message>
        <source>信用修复承诺书…</source>
        <translation>Repair commitment…</translation>
    </message>
    <message>
        <source>打印所选修复申请的信用修复承诺书，供申请人签署</source>
        <translation>Print the credit repair commitment of the selected application for the applicant to sign</translation>
    </message>
    <message>
        <source>附加扫描件…</source>
        <translation>Attach scan…</translation>
    </message>
    <message>
        <source>为所选申请附加材料或证据的扫描件（加密保存，联网后上传）</source>
        <translation>Attach a scan of the materials or evidence to the selected application (kept encrypted, uploaded when online)</translation>
    </message>
    <message>
        <source>作出决定…</source>
        <translation>Decide…</translation>
    </message>
    <message>
        <source>作出记录的单位的科室负责人决定（需要连接市级平台）</source>
        <translation>Decided by the supervisor of the unit that made the record (needs the municipal platform)</translation>
    </message>
    <message>
        <source>办理统计…</source>
        <translation>Figures…</translation>
    </message>
    <message>
        <source>各大厅、各决定单位的受理、未办结、逾期和办理用时</source>
        <translation>Received, pending, overdue and time to decide, per hall and deciding unit</translation>
    </message>
    <message>
        <source>未决定时打印受理回执，决定后打印决定书或结果告知书</source>
        <translation>Prints the receipt until decided, then the decision letter</translation>
    </message>
    <message>
        <source>只看未办结</source>
        <translation>Undecided only</translation>
    </message>
    <message>
        <source>受理单位（印在文书上）</source>
        <translation>Receiving unit (printed on letters)</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>受理编号</source>
        <translation>Number</translation>
    </message>
    <message>
        <source>主体</source>
        <translation>Entity</translation>
    </message>
    <message>
        <source>记录</source>
        <translation>Record</translation>
    </message>
    <message>
        <source>受理日期</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>办理期限</source>
        <translation>Due</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>决定</source>
        <translation>Decision</translation>
    </message>
    <message>
        <source>这件申请已作出决定。</source>
        <translation>This application has been decided.</translation>
    </message>
    <message>
        <source>已作出决定：{decision}。同步后各窗口生效，可打印告知书。</source>
        <translation>Decided: {decision}. Every window applies it after its next sync; the letter can be printed.</translation>
    </message>
    <message>
        <source>已受理，受理编号 {number}；办理期限 {due}。可打印受理回执。</source>
        <translation>Taken, number {number}; due {due}. The receipt can be printed.</translation>
    </message>
    <message>
        <source>（待平台计算）</source>
        <translation>(computed by the platform)</translation>
    </message>
    <message>
        <source>已逾期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>办理中</source>
        <translation>In progress</translation>
    </message>
    <message>
        <source>异议</source>
        <translation>Objection</translation>
    </message>
    <message>
        <source>信用修复</source>
        <translation>Credit repair</translation>
    </message>
    <message>
        <source>（待同步）</source>
        <translation> (not synced)</translation>
    </message>
    <message>
        <source>共 {count} 件，逾期 {overdue} 件</source>
        <translation>{count} in all, {overdue} overdue</translation>
    </message>
    <message>
        <source>请先在列表中选择一件申请。</source>
        <translation>Select an application in the list first.</translation>
    </message>
    <message>
        <source>选择材料扫描件</source>
        <translation>Choose a scan of the materials</translation>
    </message>
    <message>
        <source>已附加扫描件“{name}”，联网后随申请上传。</source>
        <translation>Scan &quot;{name}&quot; attached; it is uploaded with the application when online.</translation>
    </message>
    <message>
        <source>请填写受理单位（将印在文书上）。</source>
        <translation>Enter the receiving unit (printed on letters).</translation>
    </message>
</context>
<context>
    <name>ReportCheckDialog</name>
    <message>
        <source>核验报告</source>
        <translation>Check a report</translation>
    </message>
    <message>
        <source>用扫码枪扫描报告上的二维码，或粘贴二维码内容后按回车。支持新版报告的核验网址和旧版报告的签名内容（CDR1.）。</source>
        <translation>Scan the QR code on the report with a barcode scanner, or paste its text and press Enter. Both the verification address of new reports and the signed text of older reports (CDR1.) are accepted.</translation>
    </message>
    <message>
        <source>扫描或粘贴二维码内容</source>
        <translation>Scan or paste the QR code text</translation>
    </message>
    <message>
        <source>核验</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>报告编号</source>
        <translation>Report number</translation>
    </message>
    <message>
        <source>主体名称</source>
        <translation>Entity name</translation>
    </message>
    <message>
        <source>出具单位</source>
        <translation>Issued by</translation>
    </message>
    <message>
        <source>出具日期</source>
        <translation>Issue date</translation>
    </message>
    <message>
        <source>结果只有三种：签名有效且已按期在平台登记为“真实有效”；签发设备在登记前已被注销或登记已被撤销为“已作废”；查不到相符的已登记报告为“无法核验”。</source>
        <translation>There are only three answers: “Genuine” means the signature is valid and the report was registered on the platform in time; “Void” means the issuing device was revoked before registering it or the registration was withdrawn; “Cannot be verified” means no matching registered report was found.</translation>
    </message>
    <message>
        <source>无法识别：请扫描报告上的二维码，或粘贴二维码内容（以 https:// 或 CDR1. 开头）。</source>
        <translation>Not recognised: scan the QR code on the report, or paste its text (starting with https:// or CDR1.).</translation>
    </message>
    <message>
        <source>正在向平台核验……</source>
        <translation>Checking with the platform…</translation>
    </message>
    <message>
        <source>联网核验报告</source>
        <translation>Checking a report online</translation>
    </message>
    <message>
        <source>真实有效</source>
        <translation>Genuine</translation>
    </message>
    <message>
        <source>已作废</source>
        <translation>Void</translation>
    </message>
    <message>
        <source>无法核验</source>
        <translation>Cannot be verified</translation>
    </message>
    <message>
        <source>本机核对了签名：该报告由本机出具，签名有效，内容未被改动。</source>
        <translation>Signature checked on this computer: the report was issued here, the signature is valid and the content is unchanged.</translation>
    </message>
    <message>
        <source>该报告由其他设备签发，本机没有该设备的公钥，离线无法核对签名。请联网后再核验。</source>
        <translation>The report was signed by another device whose public key this computer does not have, so the signature cannot be checked offline. Check again when online.</translation>
    </message>
    <message>
        <source>签名校验未通过：二维码内容与本机的签名不符，报告可能被篡改。</source>
        <translation>Signature check failed: the QR code does not match this computer&apos;s signature; the report may have been tampered with.</translation>
    </message>
    <message>
        <source>核验码与本机出具的同编号报告不符，报告可能被涂改。</source>
        <translation>The check code does not match the report issued here under this number; the report may have been altered.</translation>
    </message>
    <message>
        <source>该报告不是本机出具的，离线时本机没有可核对的签名。请联网后再核验。</source>
        <translation>The report was not issued on this computer, so offline there is no signature to check it against. Check again when online.</translation>
    </message>
    <message>
        <source>无法联网核验登记信息：未能核对该报告是否已在平台登记、是否已作废。请联网并登录后再核验一次。</source>
        <translation>The registration could not be checked online: whether the report is registered on the platform or void is unknown. Connect, log in and check again.</translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message>
        <source>报告打印</source>
        <translation>Reports</translation>
    </message>
    <message>
        <source>输入统一社会信用代码或名称查找主体</source>
        <translation>Enter a unified social credit code or name to find an entity</translation>
    </message>
    <message>
        <source>查找</source>
        <translation>Find</translation>
    </message>
    <message>
        <source>尚未选择主体</source>
        <translation>No entity selected</translation>
    </message>
    <message>
        <source>选择“其他”时填写具体用途，例如 银行贷款审查</source>
        <translation>When choosing “Other”, describe the use, e.g. bank loan review</translation>
    </message>
    <message>
        <source>例如 长治市潞州区政务服务中心</source>
        <translation>e.g. Luzhou District Government Service Center, Changzhi</translation>
    </message>
    <message>
        <source> 天</source>
        <translation> days</translation>
    </message>
    <message>
        <source>本地数据超过这么多天未同步时，报告封面上显示提醒</source>
        <translation>Show a warning on the cover when local data has not been synced for this many days</translation>
    </message>
    <message>
        <source>主体：</source>
        <translation>Entity:</translation>
    </message>
    <message>
        <source>报告用途：</source>
        <translation>Purpose:</translation>
    </message>
    <message>
        <source>具体用途：</source>
        <translation>Specific use:</translation>
    </message>
    <message>
        <source>出具单位：</source>
        <translation>Issuing unit:</translation>
    </message>
    <message>
        <source>水印：</source>
        <translation>Watermark:</translation>
    </message>
    <message>
        <source>数据时效提醒：</source>
        <translation>Data age warning:</translation>
    </message>
    <message>
        <source>预览样稿</source>
        <translation>Preview draft</translation>
    </message>
    <message>
        <source>不编号、不签名、不留存，仅供核对内容</source>
        <translation>No number, no signature, nothing kept: for checking the content only</translation>
    </message>
    <message>
        <source>出具报告（Ctrl+Enter）</source>
        <translation>Issue report (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>打印预览 / 打印（Ctrl+P）</source>
        <translation>Print preview / print (Ctrl+P)</translation>
    </message>
    <message>
        <source>导出 PDF（Ctrl+S）</source>
        <translation>Export PDF (Ctrl+S)</translation>
    </message>
    <message>
        <source>出具信用报告</source>
        <translation>Issue a credit report</translation>
    </message>
    <message>
        <source>按报告编号、统一社会信用代码或名称筛选</source>
        <translation>Filter by report number, unified social credit code or name</translation>
    </message>
    <message>
        <source>补打</source>
        <translation>Reprint</translation>
    </message>
    <message>
        <source>按原样重新打印所选报告（编号与二维码不变）</source>
        <translation>Print the selected report again exactly as issued (same number and QR code)</translation>
    </message>
    <message>
        <source>导出 PDF</source>
        <translation>Export PDF</translation>
    </message>
    <message>
        <source>核验报告（Ctrl+Shift+V）</source>
        <translation>Check a report (Ctrl+Shift+V)</translation>
    </message>
    <message>
        <source>扫描或粘贴报告上的二维码，核验报告真伪</source>
        <translation>Scan or paste the QR code of a report to check whether it is genuine</translation>
    </message>
    <message>
        <source>报告编号</source>
        <translation>Report number</translation>
    </message>
    <message>
        <source>主体名称</source>
        <translation>Entity name</translation>
    </message>
    <message>
        <source>统一社会信用代码</source>
        <translation>Unified social credit code</translation>
    </message>
    <message>
        <source>用途</source>
        <translation>Purpose</translation>
    </message>
    <message>
        <source>出具时间</source>
        <translation>Issued at</translation>
    </message>
    <message>
        <source>经办人</source>
        <translation>Issued by</translation>
    </message>
    <message>
        <source>平台登记</source>
        <translation>Platform registration</translation>
    </message>
    <message>
        <source>补打次数</source>
        <translation>Reprints</translation>
    </message>
    <message>
        <source>已出具报告</source>
        <translation>Issued reports</translation>
    </message>
    <message>
        <source>请输入统一社会信用代码或名称。</source>
        <translation>Enter a unified social credit code or a name.</translation>
    </message>
    <message>
        <source>本地缓存中没有找到该主体。请核对后重试，或同步后再查。</source>
        <translation>The entity is not in the local cache. Check the input and retry, or sync and search again.</translation>
    </message>
    <message>
        <source>（无水印）</source>
        <translation>(no watermark)</translation>
    </message>
    <message>
        <source>请先选择主体：在上方查找，或在“主体查询”的主体卡片上点“出具信用报告”。</source>
        <translation>Choose an entity first: find it above, or click “Issue credit report” on an entity card in Entity lookup.</translation>
    </message>
    <message>
        <source>这是预览样稿，不是正式报告：没有编号和二维码。核对无误后请点“出具报告”。</source>
        <translation>This is a preview draft, not a report: it has no number and no QR code. When it is correct, click “Issue report”.</translation>
    </message>
    <message>
        <source>已出具信用报告，编号 {number}。可打印或导出 PDF；联网同步时将向平台登记。</source>
        <translation>Credit report {number} issued. Print it or export a PDF; it will be registered with the platform at the next sync.</translation>
    </message>
    <message>
        <source>注意：以下字符无法用内置字体打印，将显示为空白方框：{chars}</source>
        <translation>Note: the bundled font cannot print these characters; they will show as empty boxes: {chars}</translation>
    </message>
    <message>
        <source>正在生成 PDF…</source>
        <translation>Creating the PDF…</translation>
    </message>
    <message>
        <source>已导出 PDF（共 {pages} 页）：{path}</source>
        <translation>PDF exported ({pages} pages): {path}</translation>
    </message>
    <message>
        <source>无法写入 PDF 文件：{error}。请换一个文件夹或文件名后重试。</source>
        <translation>Cannot write the PDF file: {error}. Choose another folder or file name and try again.</translation>
    </message>
    <message>
        <source>已登记</source>
        <translation>Registered</translation>
    </message>
    <message>
        <source>登记被拒：{reason}</source>
        <translation>Registration refused: {reason}</translation>
    </message>
    <message>
        <source>待同步登记</source>
        <translation>Waiting for sync</translation>
    </message>
</context>
<context>
    <name>ScanFile</name>
    <message>
        <source>扫描件 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff);;所有文件 (*)</source>
        <translation>Scans (*.pdf *.jpg *.jpeg *.png *.tif *.tiff);;All files (*)</translation>
    </message>
</context>
<context>
    <name>ScreenLock</name>
    <message>
        <source>锁定</source>
        <translation>Lock</translation>
    </message>
</context>
<context>
    <name>ServiceError</name>
    <message>
        <source>找不到该信用承诺（可能已被删除）。请刷新列表后重试。</source>
        <translation>This commitment cannot be found (it may have been deleted). Refresh the list and try again.</translation>
    </message>
    <message>
        <source>承诺记录 {record} 的数据不完整：{exc}</source>
        <translation>Commitment record {record} is incomplete: {exc}</translation>
    </message>
    <message>
        <source>请填写法定代表人或委托代理人的姓名。</source>
        <translation>Enter the name of the legal representative or the authorised agent.</translation>
    </message>
    <message>
        <source>签署人身份“{applicant_role}”无效，应为：{roles}。</source>
        <translation>Signatory role “{applicant_role}” is not valid; it should be one of: {roles}.</translation>
    </message>
    <message>
        <source>联系电话“{phone}”格式不正确，请只填写数字（可含“-”）。</source>
        <translation>Phone number “{phone}” is not valid: use digits only (a “-” is allowed).</translation>
    </message>
    <message>
        <source>容缺受理须逐项列明所缺材料（名称和提交形式），请补充后再提交。</source>
        <translation>Acceptance with missing materials must list each missing item (name and form of submission). Add them and submit again.</translation>
    </message>
    <message>
        <source>容缺受理须写明补齐材料的期限（1至{most}个工作日），请填写后再提交。</source>
        <translation>Acceptance with missing materials needs a time limit for handing them in (1 to {most} working days). Fill it in and submit again.</translation>
    </message>
    <message>
        <source>所选记录不在该主体的公共信用记录中（可能已修复、已撤销或已过公示期），请重新选择。</source>
        <translation>The chosen record is not in the entity&apos;s public credit record (it may have been repaired, revoked or be past its publication period). Please choose again.</translation>
    </message>
    <message>
        <source>只有失信记录可以申请信用修复；对其他记录有异议的，请提出异议申请。</source>
        <translation>Only dishonesty records can be repaired; to dispute another record, file an objection.</translation>
    </message>
    <message>
        <source>该失信记录已有一份正在办理的信用修复申请，请等待作出记录的单位决定。</source>
        <translation>A repair application for this record is already in progress; wait for the deciding unit.</translation>
    </message>
    <message>
        <source>“{title}”尚未届满最短公示期，最早可于 {earliest} 申请信用修复，目前不予受理。</source>
        <translation>&quot;{title}&quot; has not completed its minimum publication period; repair can be applied for from {earliest}. The application cannot be accepted now.</translation>
    </message>
    <message>
        <source>请填写申请人姓名和申请理由（整改及履行义务情况）。</source>
        <translation>Please enter the applicant&apos;s name and the grounds (rectification and obligations fulfilled).</translation>
    </message>
    <message>
        <source>本机没有这份申请（可能尚未同步），请同步后重试。</source>
        <translation>This application is not on this computer (perhaps not synced yet). Sync and try again.</translation>
    </message>
    <message>
        <source>无法生成文书：{message}</source>
        <translation>Cannot produce the letter: {message}</translation>
    </message>
    <message>
        <source>该记录已有一份正在核查的异议申请，请等待作出记录的单位答复。</source>
        <translation>An objection to this record is already being checked; wait for the deciding unit&apos;s answer.</translation>
    </message>
    <message>
        <source>请填写异议人姓名和异议内容（认为记录有误之处）。</source>
        <translation>Please enter the objector&apos;s name and what is disputed (what is wrong in the record).</translation>
    </message>
    <message>
        <source>该主体目前不能适用容缺受理：{reasons}请改为告知承诺等其他方式，或在材料齐全后正常受理。</source>
        <translation>This entity cannot be accepted with missing materials at present: {reasons}Use another method such as notification and commitment, or accept the application normally once the materials are complete.</translation>
    </message>
    <message>
        <source>统一社会信用代码有误：
{message}</source>
        <translation>The unified social credit code is wrong:
{message}</translation>
    </message>
    <message>
        <source>只有容缺受理的承诺需要出具一次性告知书。</source>
        <translation>Only a commitment accepted with missing materials needs a one-time notice.</translation>
    </message>
    <message>
        <source>只有容缺受理需要填写所缺材料和补齐期限。请清空这两项，或将承诺类型改为“容缺受理”。</source>
        <translation>Missing materials and a time limit are only for acceptance with missing materials. Clear both fields, or change the commitment type to “acceptance with missing materials”.</translation>
    </message>
    <message>
        <source>所缺材料的名称不能为空，请补充或删除该行。</source>
        <translation>The name of a missing material cannot be empty. Fill it in or delete the row.</translation>
    </message>
    <message>
        <source>所缺材料“{name}”重复填写，请删除重复的一行。</source>
        <translation>Missing material “{name}” is listed twice. Delete the duplicate row.</translation>
    </message>
    <message>
        <source>请写明所缺材料“{name}”的提交形式（如{forms}）。</source>
        <translation>State how missing material “{name}” will be submitted (e.g. {forms}).</translation>
    </message>
    <message>
        <source>本机的主体名录中没有统一社会信用代码为 {uscc} 的主体。请核对代码，或同步后重新查询。</source>
        <translation>The local entity register has no entity with unified social credit code {uscc}. Check the code, or sync and search again.</translation>
    </message>
    <message>
        <source>承诺事项清单中没有所选事项（可能已被平台调整）。请同步后重新选择办理事项。</source>
        <translation>The selected matter is not in the commitment catalogue (the platform may have changed it). Sync and choose the matter again.</translation>
    </message>
    <message>
        <source>“{matter}”不能采用“{kind}”方式办理；该事项可用的承诺类型为：{allowed}。</source>
        <translation>“{matter}” cannot be handled as “{kind}”; the commitment types this matter allows are: {allowed}.</translation>
    </message>
    <message>
        <source>该主体已有一份尚未办结的“{matter}”承诺（{label}，编号 CN-{number}）。请继续办理该承诺，或先将其撤回后再新建。</source>
        <translation>This entity already has an open “{matter}” commitment ({label}, no. CN-{number}). Continue with that commitment, or withdraw it before creating a new one.</translation>
    </message>
    <message>
        <source>联系电话“{phone}”格式不正确：请填写11位手机号码（如 13812345678）或带区号的固定电话（如 0355-2021234）；不愿提供可留空。</source>
        <translation>Phone number “{phone}” is not valid: enter an 11-digit mobile number (e.g. 13812345678) or a landline with area code (e.g. 0355-2021234); leave it empty if the person prefers not to give one.</translation>
    </message>
    <message>
        <source>请填写{label}。</source>
        <translation>Fill in {label}.</translation>
    </message>
    <message>
        <source>{label}过长（{length}个字），请控制在{most}个字以内。</source>
        <translation>{label} is too long ({length} characters); keep it within {most} characters.</translation>
    </message>
    <message>
        <source>{label}应为“时:分”格式，例如 09:30。</source>
        <translation>{label} should be written as “hours:minutes”, e.g. 09:30.</translation>
    </message>
    <message>
        <source>结束时间（{end}）应晚于开始时间（{start}），请更正。</source>
        <translation>The end time ({end}) must be later than the start time ({start}). Please correct it.</translation>
    </message>
    <message>
        <source>培训材料最多登记{most}项。</source>
        <translation>At most {most} training materials can be recorded.</translation>
    </message>
    <message>
        <source>容纳人数应为正整数；不限人数时请留空。</source>
        <translation>Capacity must be a positive whole number; leave it empty for no limit.</translation>
    </message>
    <message>
        <source>身份证号码应为18位（前17位为数字，最后一位为数字或X），实际为{length}位，请核对后重新填写；不愿提供可留空。</source>
        <translation>An ID card number has 18 characters (17 digits, then a digit or X); this one has {length}. Check and enter it again, or leave it empty if the person prefers not to give it.</translation>
    </message>
    <message>
        <source>身份证号码第7–14位（出生日期）无效，请核对后重新填写。</source>
        <translation>Characters 7–14 of the ID card number (the date of birth) are not a valid date. Check and enter it again.</translation>
    </message>
    <message>
        <source>身份证号码校验位不符（第18位应为“{expected}”），请逐位核对证件后重新填写。</source>
        <translation>The ID card number&apos;s check digit does not match (the 18th character should be “{expected}”). Compare it with the card character by character and enter it again.</translation>
    </message>
    <message>
        <source>请填写培训日期，格式为 YYYY-MM-DD，例如 2026-11-27。</source>
        <translation>Enter the training date as YYYY-MM-DD, e.g. 2026-11-27.</translation>
    </message>
    <message>
        <source>月份应为 YYYY-MM 格式，例如 2026-11。</source>
        <translation>The month should be written as YYYY-MM, e.g. 2026-11.</translation>
    </message>
    <message>
        <source>请选择参训人身份：{roles}。</source>
        <translation>Choose the attendee&apos;s role: {roles}.</translation>
    </message>
    <message>
        <source>请输入统一社会信用代码或扫描营业执照二维码。</source>
        <translation>Enter the unified social credit code, or scan the QR code on the business licence.</translation>
    </message>
    <message>
        <source>找不到该培训场次（可能已被删除）。请刷新列表后重试。</source>
        <translation>This training session cannot be found (it may have been deleted). Refresh the list and try again.</translation>
    </message>
    <message>
        <source>本场已有{count}人签到，容纳人数不能少于{count}人。</source>
        <translation>{count} people have already checked in to this session; the capacity cannot be less than {count}.</translation>
    </message>
    <message>
        <source>本场培训已有{count}人签到，不能删除。场次信息有误请直接修改；确需删除，请先移除全部签到记录。</source>
        <translation>{count} people have already checked in to this session, so it cannot be deleted. If the session details are wrong, edit them; to delete it, first remove every check-in.</translation>
    </message>
    <message>
        <source>本场培训已达容纳人数（{capacity}人）。如场地允许，请先在场次信息中调整“容纳人数”，或为其安排其他场次。</source>
        <translation>This session has reached its capacity ({capacity} people). If the room allows, raise the capacity in the session details first, or book the person into another session.</translation>
    </message>
    <message>
        <source>统一社会信用代码有误：
{message}{hint}</source>
        <translation>The unified social credit code is wrong:
{message}{hint}</translation>
    </message>
    <message>
        <source>请输入统一社会信用代码或扫描营业执照二维码；尚未登记的主体请填写主体名称。</source>
        <translation>Enter the unified social credit code or scan the QR code on the business licence; for an entity not yet registered, enter its name.</translation>
    </message>
    <message>
        <source>{name}（{entity}）已于{at}在本场签到，无需重复签到。</source>
        <translation>{name} ({entity}) already checked in to this session at {at}; no need to check in again.</translation>
    </message>
    <message>
        <source>该主体不在本地缓存中。请同步后重试。</source>
        <translation>This entity is not in the local cache. Sync and try again.</translation>
    </message>
    <message>
        <source>找不到该{label}（可能已被删除）。请刷新列表后重试。</source>
        <translation>This {label} cannot be found (it may have been deleted). Refresh the list and try again.</translation>
    </message>
    <message>
        <source>该记录已存在，不能重复创建。</source>
        <translation>This record already exists and cannot be created twice.</translation>
    </message>
    <message>
        <source>找不到要修改的记录（可能已被删除）。请刷新列表后重试。</source>
        <translation>The record to change cannot be found (it may have been deleted). Refresh the list and try again.</translation>
    </message>
    <message>
        <source>找不到要删除的记录（可能已被删除）。请刷新列表后重试。</source>
        <translation>The record to delete cannot be found (it may have been deleted). Refresh the list and try again.</translation>
    </message>
    <message>
        <source>本机没有检查任务“{task_id}”。请先联网同步或进行离线准备，下载分配给您的检查任务。</source>
        <translation>Inspection task “{task_id}” is not on this computer. Sync or run offline preparation first to download the tasks assigned to you.</translation>
    </message>
    <message>
        <source>本机没有检查表“{checklist_id}”。请先联网同步或进行离线准备，下载任务所需的检查表。</source>
        <translation>Checklist “{checklist_id}” is not on this computer. Sync or run offline preparation first to download the checklists your tasks need.</translation>
    </message>
    <message>
        <source>找不到该检查结果（可能已被删除）。请刷新列表后重试。</source>
        <translation>This inspection result cannot be found (it may have been deleted). Refresh the list and try again.</translation>
    </message>
    <message>
        <source>检查结果 {record} 的数据不完整：缺少检查日期。</source>
        <translation>Inspection result {record} is incomplete: the inspection date is missing.</translation>
    </message>
    <message>
        <source>约谈类型“{kind}”无效，应为：{kinds}。</source>
        <translation>Interview type “{kind}” is not valid; it should be one of: {kinds}.</translation>
    </message>
    <message>
        <source>约谈日期不能晚于今天，请核对后重新填写。</source>
        <translation>The interview date cannot be later than today. Check it and enter it again.</translation>
    </message>
    <message>
        <source>请填写参加约谈的人员（约谈人和被约谈人）。</source>
        <translation>Enter who took part in the interview (the interviewers and the person interviewed).</translation>
    </message>
    <message>
        <source>请填写约谈记录（约谈的问题、对方的说明和整改要求）。</source>
        <translation>Enter the interview record (the problems raised, the entity&apos;s explanation and what must be corrected).</translation>
    </message>
    <message>
        <source>处理结果为“{outcome}”的检查不需要出具整改通知书；只有责令整改和失信警示需要。</source>
        <translation>An inspection with the outcome “{outcome}” needs no rectification notice; only orders to rectify and dishonesty warnings do.</translation>
    </message>
    <message>
        <source>“{filename}”是空文件，请重新扫描。</source>
        <translation>“{filename}” is an empty file. Scan it again.</translation>
    </message>
    <message>
        <source>本机没有该照片的文件。请联网后进行离线准备，下载检查记录的附件。</source>
        <translation>This photo&apos;s file is not on this computer. Go online and run offline preparation to download the inspection records&apos; attachments.</translation>
    </message>
    <message>
        <source>该检查结果中没有这张照片（可能已删除）。请刷新后重试。</source>
        <translation>This inspection result has no such photo (it may have been removed). Refresh and try again.</translation>
    </message>
    <message>
        <source>该检查结果已提交平台，现场照片作为检查证据不能删除。如照片有误，请使用“更正”说明情况。</source>
        <translation>This inspection result has been submitted to the platform; its photos are evidence and cannot be deleted. If a photo is wrong, explain it with “Correct”.</translation>
    </message>
    <message>
        <source>检查日期不能晚于今天，请核对后重新填写。</source>
        <translation>The inspection date cannot be later than today. Check it and enter it again.</translation>
    </message>
    <message>
        <source>请填写更正理由（至少{least}个字），例如“检查日期录入错误”。</source>
        <translation>Enter the reason for the correction (at least {least} characters), e.g. “inspection date entered wrongly”.</translation>
    </message>
    <message>
        <source>第{number}个问题的描述为空，请填写问题描述或删除该行。</source>
        <translation>Problem {number} has no description. Describe the problem or delete the row.</translation>
    </message>
    <message>
        <source>第{number}个问题的严重程度“{severity}”无效，应为：{known}。</source>
        <translation>The severity “{severity}” of problem {number} is not valid; it should be one of: {known}.</translation>
    </message>
    <message>
        <source>该检查结果已提交平台，不能直接修改。如需更正，请使用“更正”并写明更正理由。</source>
        <translation>This inspection result has been submitted to the platform and cannot be edited directly. To change it, use “Correct” and give a reason.</translation>
    </message>
    <message>
        <source>只有“承诺核查”任务需要填写核查结论；本任务是日常检查，请不要选择核查结论。</source>
        <translation>Only a commitment verification task takes a verification verdict; this is an ordinary inspection, so leave the verdict empty.</translation>
    </message>
    <message>
        <source>核查结论已经记录，不能更改或撤销。如结论有误，请联系监管人员通过异议程序更正。</source>
        <translation>The verification verdict is recorded and cannot be changed or withdrawn. If it is wrong, ask a supervisor to correct it through the objection procedure.</translation>
    </message>
    <message>
        <source>核查结论只能是“承诺属实”或“承诺不实”，情节只能是轻微、一般或严重，请重新选择。</source>
        <translation>The verdict can only be “commitment true” or “commitment false”, and the severity only minor, general or serious. Please choose again.</translation>
    </message>
    <message>
        <source>认定承诺不实，须在检查结论中写明核查发现的事实和证据。</source>
        <translation>To find a commitment false, write the facts and evidence found in the inspection conclusion.</translation>
    </message>
    <message>
        <source>所跟进的失信警示不在本机，或不是该任务主体的警示。请先同步，再从“逾期未整改”列表记录约谈。</source>
        <translation>The warning followed up is not on this computer, or is not a warning of this task&apos;s entity. Sync first, then record the interview from the overdue list.</translation>
    </message>
    <message>
        <source>找不到该约谈记录（可能已被删除）。请刷新后重试。</source>
        <translation>The interview record was not found (it may have been deleted). Refresh and try again.</translation>
    </message>
    <message>
        <source>该约谈记录缺少约谈类型、参加人员或约谈内容，无法打印。</source>
        <translation>The interview record lacks its kind, participants or content, so it cannot be printed.</translation>
    </message>
    <message>
        <source>该主体当前不在规定此项措施的名单内（名单可能已到期或已更新），请刷新主体信息后再记录。</source>
        <translation>The entity is no longer on a list that calls for this measure (the listing may have ended or changed). Refresh the entity and record again.</translation>
    </message>
    <message>
        <source>该检查结果尚未提交平台，可直接修改保存，无需更正。</source>
        <translation>This inspection result has not been submitted to the platform yet; edit and save it directly, no correction is needed.</translation>
    </message>
    <message>
        <source>更正不能改变检查任务；如检查任务有误，请联系科室负责人。</source>
        <translation>A correction cannot change the inspection task; if the task is wrong, contact the head of section.</translation>
    </message>
    <message>
        <source>更正不能改变所复查的检查结果。</source>
        <translation>A correction cannot change which result is being re-inspected.</translation>
    </message>
    <message>
        <source>更正后的内容与原记录相同，无需更正。</source>
        <translation>The corrected content is the same as the original record; no correction is needed.</translation>
    </message>
    <message>
        <source>找不到被复查的检查结果，或它不是同一被检查单位的记录。请重新选择。</source>
        <translation>The result being re-inspected cannot be found, or it belongs to another inspected entity. Choose it again.</translation>
    </message>
    <message>
        <source>该主体不在本地缓存中。请同步后重新查询。</source>
        <translation>This entity is not in the local cache. Sync and search again.</translation>
    </message>
    <message>
        <source>统一社会信用代码“{uscc}”格式不正确，无法出具可核验的报告。请先核对并更正主体登记信息。</source>
        <translation>The unified social credit code “{uscc}” is not well formed, so no verifiable report can be issued. Check and correct the entity&apos;s registration first.</translation>
    </message>
    <message>
        <source>本机无法为报告签名（设备密钥不可用）。请重新启动工作台后重试，或联系管理员。</source>
        <translation>This computer cannot sign the report (the device key is unavailable). Restart the workbench and try again, or contact the administrator.</translation>
    </message>
    <message>
        <source>本机没有编号为 {report_no} 的报告。请核对报告编号。</source>
        <translation>There is no report numbered {report_no} on this computer. Check the report number.</translation>
    </message>
    <message>
        <source>报告 {report_no} 的存档已损坏，无法补打。请重新出具报告，并联系管理员检查本机数据。</source>
        <translation>The archived copy of report {report_no} is damaged and cannot be reprinted. Issue the report again, and ask the administrator to check this computer&apos;s data.</translation>
    </message>
    <message>
        <source>平台上的这份承诺已是“{status}”状态，只有草稿可以删除，平台不会接受删除。如需作废，请保留平台记录后将其撤回。</source>
        <translation>On the platform this commitment is already “{status}”. Only a draft can be deleted, so the platform will not accept the deletion. To cancel it, keep the platform&apos;s record and then withdraw the commitment.</translation>
    </message>
    <message>
        <source>已有{count}条{label}引用这条记录，平台不会接受删除。请保留平台记录。</source>
        <translation>{count} {label} record(s) refer to this record, so the platform will not accept the deletion. Keep the platform&apos;s record.</translation>
    </message>
    <message>
        <source>这条{label}所属的{parent_label}已不存在，平台不会接受恢复。请接受删除，必要时在现有{parent_label}中重新登记。</source>
        <translation>The {parent_label} this {label} belongs to no longer exists, so the platform will not accept restoring it. Accept the deletion and, if needed, register it again under an existing {parent_label}.</translation>
    </message>
    <message>
        <source>平台不会接受保留本机的内容：{reason}</source>
        <translation>The platform will not accept keeping this computer&apos;s version: {reason}</translation>
    </message>
</context>
<context>
    <name>SessionsModel</name>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>培训主题</source>
        <translation>Topic</translation>
    </message>
    <message>
        <source>地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <source>主讲人</source>
        <translation>Speaker</translation>
    </message>
    <message>
        <source>签到</source>
        <translation>Checked in</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>已同步</source>
        <translation>Synced</translation>
    </message>
    <message>
        <source>待同步</source>
        <translation>Waiting for sync</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>界面语言</source>
        <translation>Interface language</translation>
    </message>
    <message>
        <source>无法保存设置：{error}</source>
        <translation>Could not save the settings: {error}</translation>
    </message>
    <message>
        <source>已保存。界面语言将在重新启动本软件后生效。</source>
        <translation>Saved. The new interface language takes effect when you restart Credit Desk.</translation>
    </message>
    <message>
        <source>数据文件夹</source>
        <translation>Data folder</translation>
    </message>
    <message>
        <source>打开文件夹</source>
        <translation>Open folder</translation>
    </message>
    <message>
        <source>本地数据库已加密保存；请勿手工修改此文件夹中的文件。</source>
        <translation>The local database is stored encrypted; do not edit the files in this folder by hand.</translation>
    </message>
    <message>
        <source>本地数据库安全</source>
        <translation>Local database security</translation>
    </message>
    <message>
        <source>本机没有安全的系统密钥环，数据库密钥由您的密码派生。忘记密码将无法恢复数据。</source>
        <translation>This computer has no secure system keyring, so the database key is derived from your password. A forgotten password cannot be recovered, and neither can the data.</translation>
    </message>
    <message>
        <source>原密码：</source>
        <translation>Current password:</translation>
    </message>
    <message>
        <source>新密码：</source>
        <translation>New password:</translation>
    </message>
    <message>
        <source>确认新密码：</source>
        <translation>Confirm new password:</translation>
    </message>
    <message>
        <source>修改本地数据库密码</source>
        <translation>Change local database password</translation>
    </message>
    <message>
        <source>数据库密钥保存在本机的系统密钥环中。更换密钥会用新的随机密钥重新加密整个数据库。</source>
        <translation>The database key is kept in this computer&apos;s system keyring. Replacing it re-encrypts the whole database under a new random key.</translation>
    </message>
    <message>
        <source>更换数据库密钥</source>
        <translation>Replace database key</translation>
    </message>
    <message>
        <source>个人信息保护</source>
        <translation>Personal information</translation>
    </message>
    <message>
        <source>诚信教育签到时完整保存身份证号</source>
        <translation>Keep full ID numbers at integrity-education check-in</translation>
    </message>
    <message>
        <source>默认只保存脱敏号码（如 140402********123X）。仅在本单位规定需要完整号码时勾选；已签到的记录不受影响。</source>
        <translation>By default only a masked number is kept (e.g. 140402********123X). Tick this only where your unit&apos;s rules require full numbers; existing check-ins are not changed.</translation>
    </message>
    <message>
        <source>自动锁定</source>
        <translation>Auto-lock</translation>
    </message>
    <message>
        <source> 分钟</source>
        <translation> minutes</translation>
    </message>
    <message>
        <source>无操作超过设定时间后，客户端自动锁定并关闭本地数据库，需重新输入密码（或本机系统账户密码）才能继续；正在填写的表单会保留。按 Ctrl+L 可立即锁定。</source>
        <translation>After the set time without activity the client locks and closes the local database; enter the password (or this computer&apos;s account password) to continue. Forms being filled in are kept. Press Ctrl+L to lock at once.</translation>
    </message>
    <message>
        <source>无操作多久后锁定：</source>
        <translation>Lock after inactivity of:</translation>
    </message>
    <message>
        <source>请填写原密码和新密码。</source>
        <translation>Enter the current and the new password.</translation>
    </message>
    <message>
        <source>两次输入的新密码不一致，请重新输入。</source>
        <translation>The two new passwords differ. Please type them again.</translation>
    </message>
    <message>
        <source>正在用新密码重新加密数据库…</source>
        <translation>Re-encrypting the database with the new password…</translation>
    </message>
    <message>
        <source>密码已修改。下次启动请使用新密码。</source>
        <translation>Password changed. Use the new password from the next start on.</translation>
    </message>
    <message>
        <source>将生成新的随机密钥并重新加密整个本地数据库。
操作期间请勿关闭本软件。是否继续？</source>
        <translation>A new random key will be made and the whole local database re-encrypted with it.
Do not close Credit Desk meanwhile. Continue?</translation>
    </message>
    <message>
        <source>更换密钥</source>
        <translation>Replace key</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>正在更换密钥并重新加密数据库…</source>
        <translation>Replacing the key and re-encrypting the database…</translation>
    </message>
    <message>
        <source>数据库密钥已更换。</source>
        <translation>The database key has been replaced.</translation>
    </message>
    <message>
        <source>审计日志</source>
        <translation>Audit log</translation>
    </message>
    <message>
        <source>每次查看主体信用信息和每项修改都记入防篡改的审计日志。校验会检查日志是否被改动或删除。</source>
        <translation>Every view of an entity&apos;s credit information and every change is written to a tamper-evident audit log. The check finds any entry that was altered or deleted.</translation>
    </message>
    <message>
        <source>校验审计日志</source>
        <translation>Check audit log</translation>
    </message>
    <message>
        <source>审计日志完整，共 {rows} 条记录，未发现改动或删除。</source>
        <translation>The audit log is intact: {rows} entries, none altered or deleted.</translation>
    </message>
    <message>
        <source>审计日志校验未通过（共 {rows} 条记录）：</source>
        <translation>The audit log check failed ({rows} entries):</translation>
    </message>
    <message>
        <source>请立即联系管理员，并不要继续录入。</source>
        <translation>Contact your administrator now and stop entering data.</translation>
    </message>
</context>
<context>
    <name>StartupFlow</name>
    <message>
        <source>正在打开本地数据库…</source>
        <translation>Opening the local database…</translation>
    </message>
    <message>
        <source>正在准备演示数据…</source>
        <translation>Preparing demo data…</translation>
    </message>
    <message>
        <source>设备已被注销</source>
        <translation>Device revoked</translation>
    </message>
    <message>
        <source>本机数据已清除，客户端将退出。</source>
        <translation>The local data has been erased; the client will now exit.</translation>
    </message>
    <message>
        <source>启动失败（{error}）。详细信息已写入日志，请联系管理员。</source>
        <translation>Credit Desk could not start ({error}). The details are in the log; please contact your administrator.</translation>
    </message>
    <message>
        <source>无法打开本地数据库</source>
        <translation>Cannot open the local database</translation>
    </message>
</context>
<context>
    <name>StatisticsDialog</name>
    <message>
        <source>信用修复与异议办理统计</source>
        <translation>Credit repair and objections: figures</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>受理大厅</source>
        <translation>Hall</translation>
    </message>
    <message>
        <source>决定单位</source>
        <translation>Deciding unit</translation>
    </message>
    <message>
        <source>受理</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>未办结</source>
        <translation>Pending</translation>
    </message>
    <message>
        <source>逾期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>已决定</source>
        <translation>Decided</translation>
    </message>
    <message>
        <source>办理用时中位数（工作日）</source>
        <translation>Median time to decide (working days)</translation>
    </message>
    <message>
        <source>异议</source>
        <translation>Objection</translation>
    </message>
    <message>
        <source>信用修复</source>
        <translation>Credit repair</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>SyncController</name>
    <message>
        <source>请填写市级平台地址。</source>
        <translation>Enter the address of the municipal platform.</translation>
    </message>
    <message>
        <source>平台地址无效（{problem}），请检查后重新填写。</source>
        <translation>Invalid platform address ({problem}); please check it and enter it again.</translation>
    </message>
    <message>
        <source>作出决定需要连接市级平台并登录，请在“同步”页登录后重试。</source>
        <translation>Deciding needs the municipal platform: log in on the Sync page and try again.</translation>
    </message>
    <message>
        <source>{what}需要连接市级平台并登录，请在“同步”页登录后重试。</source>
        <translation>{what} needs the municipal platform: log in on the Sync page and try again.</translation>
    </message>
    <message>
        <source>办理统计</source>
        <translation>Handling figures</translation>
    </message>
    <message>
        <source>尚未登录市级平台，请先登录后再同步。</source>
        <translation>Not logged in to the municipal platform: log in first, then sync.</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>登录平台…</source>
        <translation>Log in…</translation>
    </message>
    <message>
        <source>立即同步</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>立即同步（Ctrl+S）</source>
        <translation>Sync now (Ctrl+S)</translation>
    </message>
    <message>
        <source>离线准备</source>
        <translation>Offline pack</translation>
    </message>
    <message>
        <source>下载检查任务所需的全部数据和附件，然后显示本机是否可以离线工作</source>
        <translation>Download everything your inspection tasks need, including attachments, then show whether this computer is ready to work offline</translation>
    </message>
    <message>
        <source>取消同步</source>
        <translation>Cancel sync</translation>
    </message>
    <message>
        <source>未在同步</source>
        <translation>Not syncing</translation>
    </message>
    <message>
        <source>保留本机</source>
        <translation>Keep this device&apos;s</translation>
    </message>
    <message>
        <source>保留平台</source>
        <translation>Keep the platform&apos;s</translation>
    </message>
    <message>
        <source>选择一条冲突，查看本机与平台各字段的值。</source>
        <translation>Select a conflict to compare this device&apos;s and the platform&apos;s values field by field.</translation>
    </message>
    <message>
        <source>冲突</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <source>同步错误</source>
        <translation>Sync errors</translation>
    </message>
    <message>
        <source>同步记录</source>
        <translation>Sync history</translation>
    </message>
    <message>
        <source>尚未设置市级平台地址，请先登录平台。</source>
        <translation>No municipal platform is set up yet: log in to the platform first.</translation>
    </message>
    <message>
        <source>平台 {url} · 未登录</source>
        <translation>Platform {url} · not logged in</translation>
    </message>
    <message>
        <source>平台 {url} · 已登录 · {state}</source>
        <translation>Platform {url} · logged in · {state}</translation>
    </message>
    <message>
        <source>重新登录…</source>
        <translation>Log in again…</translation>
    </message>
    <message>
        <source>正在登录</source>
        <translation>Logging in</translation>
    </message>
    <message>
        <source>推送本机更改</source>
        <translation>Pushing local changes</translation>
    </message>
    <message>
        <source>上传附件</source>
        <translation>Uploading attachments</translation>
    </message>
    <message>
        <source>登记已出具的信用报告</source>
        <translation>Registering issued credit reports</translation>
    </message>
    <message>
        <source>下载平台数据</source>
        <translation>Downloading platform data</translation>
    </message>
    <message>
        <source>下载附件</source>
        <translation>Downloading attachments</translation>
    </message>
    <message>
        <source>下载全市数据快照</source>
        <translation>Downloading the city data snapshot</translation>
    </message>
    <message>
        <source>正在启用数据快照</source>
        <translation>Switching to the data snapshot</translation>
    </message>
    <message>
        <source>同步完成</source>
        <translation>Sync finished</translation>
    </message>
    <message>
        <source>正在连接平台…</source>
        <translation>Connecting to the platform…</translation>
    </message>
    <message>
        <source>{phase}：{done}/{total} MB</source>
        <translation>{phase}: {done}/{total} MB</translation>
    </message>
    <message>
        <source>{phase}：{done}/{total}</source>
        <translation>{phase}: {done}/{total}</translation>
    </message>
    <message>
        <source>{phase}：已处理 {done} 条</source>
        <translation>{phase}: {done} processed</translation>
    </message>
    <message>
        <source>（{kb} KB）</source>
        <translation> ({kb} KB)</translation>
    </message>
    <message>
        <source>同步完成：上传 {pushed} 条，下载 {pulled} 条。</source>
        <translation>Sync finished: {pushed} sent, {pulled} received.</translation>
    </message>
    <message>
        <source>另从数据快照取得 {n} 个主体。</source>
        <translation> Also {n} entities from the data snapshot.</translation>
    </message>
    <message>
        <source>同步未完成</source>
        <translation>Sync not finished</translation>
    </message>
    <message>
        <source>已可离线工作：{tasks} 个检查任务、{entities} 户主体、{checklists} 份检查表、附件 {blobs} 个，更新于 {at}</source>
        <translation>Ready to work offline: {tasks} inspection tasks, {entities} entities, {checklists} checklists, {blobs} attachments, updated {at}</translation>
    </message>
    <message>
        <source>尚未从平台下载数据</source>
        <translation>no data downloaded from the platform yet</translation>
    </message>
    <message>
        <source>主体 {n} 户</source>
        <translation>{n} entities</translation>
    </message>
    <message>
        <source>检查表 {ids}</source>
        <translation>checklists {ids}</translation>
    </message>
    <message>
        <source>附件 {n} 个</source>
        <translation>{n} attachments</translation>
    </message>
    <message>
        <source>尚不能离线工作，缺少：{missing}。请联网后再次点击“离线准备”。</source>
        <translation>Not ready to work offline yet; missing: {missing}. Connect to the network and click “Offline pack” again.</translation>
    </message>
    <message>
        <source>待同步 {unsynced} 条 · 待处理冲突 {conflicts} 条 · 被拒绝 {errors} 条 · 上次成功同步：{last}</source>
        <translation>{unsynced} unsynced · {conflicts} conflicts to resolve · {errors} rejected · last successful sync: {last}</translation>
    </message>
    <message>
        <source>尚未同步</source>
        <translation>Never synced</translation>
    </message>
    <message>
        <source>冲突（{n}）</source>
        <translation>Conflicts ({n})</translation>
    </message>
    <message>
        <source>同步错误（{n}）</source>
        <translation>Sync errors ({n})</translation>
    </message>
    <message>
        <source>读取同步信息失败，详细信息已写入日志。</source>
        <translation>Could not read the sync information; details are in the log.</translation>
    </message>
    <message>
        <source>{kind} {record}：本机删除了这条记录，但其他人已在平台上修改了它。可以仍然删除，或保留平台上的记录。</source>
        <translation>{kind} {record}: this computer deleted the record, but someone changed it on the platform. You can delete it anyway, or keep the platform&apos;s record.</translation>
    </message>
    <message>
        <source>{kind} {record}：本机修改了这条记录，但其他人已在平台上删除了它。可以恢复本地记录（整条重新提交），或接受删除。</source>
        <translation>{kind} {record}: this computer changed the record, but someone deleted it on the platform. You can restore the local record (sent again in full), or accept the deletion.</translation>
    </message>
    <message>
        <source>{kind} {record}：请逐项比较后选择保留哪一方的值。</source>
        <translation>{kind} {record}: compare each field, then choose which side to keep.</translation>
    </message>
    <message>
        <source>平台未接受上次的选择：{reason}</source>
        <translation>The platform refused the last choice: {reason}</translation>
    </message>
    <message>
        <source>仍然删除</source>
        <translation>Delete anyway</translation>
    </message>
    <message>
        <source>保留平台记录</source>
        <translation>Keep the platform&apos;s record</translation>
    </message>
    <message>
        <source>恢复本地记录</source>
        <translation>Restore the local record</translation>
    </message>
    <message>
        <source>接受删除</source>
        <translation>Accept the deletion</translation>
    </message>
    <message>
        <source>已保留平台上的记录。</source>
        <translation>The platform&apos;s record was kept.</translation>
    </message>
    <message>
        <source>已接受删除。</source>
        <translation>The deletion was accepted.</translation>
    </message>
    <message>
        <source>已选择仍然删除，将在下次同步时提交到平台。</source>
        <translation>Delete anyway: sent to the platform at the next sync.</translation>
    </message>
    <message>
        <source>已恢复本地记录，将在下次同步时重新提交到平台。</source>
        <translation>The local record was restored and will be sent to the platform again at the next sync.</translation>
    </message>
    <message>
        <source>已保留本机的值，将在下次同步时提交到平台。</source>
        <translation>This device&apos;s values are kept and will be sent to the platform with the next sync.</translation>
    </message>
    <message>
        <source>已采用平台的值。</source>
        <translation>The platform&apos;s values are kept.</translation>
    </message>
</context>
<context>
    <name>SyncTables</name>
    <message>
        <source>信用承诺</source>
        <translation>Credit commitment</translation>
    </message>
    <message>
        <source>容缺受理</source>
        <translation>Tolerance acceptance</translation>
    </message>
    <message>
        <source>诚信教育</source>
        <translation>Integrity education</translation>
    </message>
    <message>
        <source>诚信教育签到</source>
        <translation>Integrity education check-in</translation>
    </message>
    <message>
        <source>检查发现</source>
        <translation>Inspection finding</translation>
    </message>
    <message>
        <source>检查记录</source>
        <translation>Inspection record</translation>
    </message>
    <message>
        <source>（空）</source>
        <translation>(empty)</translation>
    </message>
    <message>
        <source>已删除</source>
        <translation>Deleted</translation>
    </message>
    <message>
        <source>整条记录</source>
        <translation>Whole record</translation>
    </message>
    <message>
        <source>成功</source>
        <translation>Succeeded</translation>
    </message>
    <message>
        <source>失败</source>
        <translation>Failed</translation>
    </message>
    <message>
        <source>已取消</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>完成时间</source>
        <translation>Finished</translation>
    </message>
    <message>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>上传</source>
        <translation>Sent</translation>
    </message>
    <message>
        <source>下载</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>冲突</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <source>被拒绝</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>记录</source>
        <translation>Record</translation>
    </message>
    <message>
        <source>平台说明</source>
        <translation>Platform&apos;s reason</translation>
    </message>
    <message>
        <source>冲突字段</source>
        <translation>Conflicting fields</translation>
    </message>
    <message>
        <source>发现时间</source>
        <translation>Found</translation>
    </message>
    <message>
        <source>字段</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>本机值</source>
        <translation>This device</translation>
    </message>
    <message>
        <source>平台值</source>
        <translation>Platform</translation>
    </message>
</context>
<context>
    <name>UnlockDialog</name>
    <message>
        <source>信用监管工作台 — 已锁定</source>
        <translation>Credit Desk — locked</translation>
    </message>
    <message>
        <source>信用监管工作台 — 本地数据库</source>
        <translation>Credit Desk — local database</translation>
    </message>
    <message>
        <source>系统账户密码：</source>
        <translation>Account password:</translation>
    </message>
    <message>
        <source>密码：</source>
        <translation>Password:</translation>
    </message>
    <message>
        <source>再次输入：</source>
        <translation>Repeat:</translation>
    </message>
    <message>
        <source>创建数据库</source>
        <translation>Create database</translation>
    </message>
    <message>
        <source>解锁</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <source>打开</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>客户端上次处于锁定状态时被关闭，重新启动不会跳过锁定。

请输入本机系统账户（{user}）的登录密码，打开本地数据库。</source>
        <translation>The client was closed while it was locked; restarting does not skip the lock.

Enter the password of this computer&apos;s account ({user}) to open the local database.</translation>
    </message>
    <message>
        <source>首次使用：请为本地数据库设置密码。

本机没有安全的系统密钥环，因此数据库的加密密钥由这个密码派生，每次启动都需要输入。密码不会保存在任何地方，忘记密码将无法恢复本地数据（未同步的记录会丢失），请牢记。</source>
        <translation>First start: choose a password for the local database.

This computer has no secure system keyring, so the database&apos;s encryption key is derived from this password, and you will type it at every start. It is not stored anywhere: a forgotten password cannot be recovered and the local data is lost with it (including records not yet synced). Keep it safe.</translation>
    </message>
    <message>
        <source>请输入本地数据库密码。本机没有安全的系统密钥环，数据库密钥由该密码派生。</source>
        <translation>Enter the local database password. This computer has no secure system keyring, so the database key is derived from it.</translation>
    </message>
    <message>
        <source>已超过 {minutes} 分钟无操作，客户端已锁定，本地数据库已关闭。</source>
        <translation>No activity for {minutes} minutes: the client is locked and the local database closed.</translation>
    </message>
    <message>
        <source>客户端已锁定，本地数据库已关闭。</source>
        <translation>The client is locked and the local database closed.</translation>
    </message>
    <message>
        <source>正在填写的表单已保存为草稿，解锁后可以继续。</source>
        <translation>Forms being filled in were saved as drafts; continue after unlocking.</translation>
    </message>
    <message>
        <source>请输入本地数据库密码解锁。</source>
        <translation>Enter the local database password to unlock.</translation>
    </message>
    <message>
        <source>请输入本机系统账户（{user}）的登录密码解锁。</source>
        <translation>Enter the login password of this computer&apos;s account ({user}) to unlock.</translation>
    </message>
    <message>
        <source>本机无法核验系统账户密码，请点击“退出”，然后重新启动本软件。</source>
        <translation>This computer cannot check the account password. Click “Quit”, then start the software again.</translation>
    </message>
    <message>
        <source>密码强度：太短（至少 {n} 个字符）</source>
        <translation>Strength: too short (at least {n} characters)</translation>
    </message>
    <message>
        <source>密码强度：弱，建议使用更长的密码并混合字母、数字和符号</source>
        <translation>Strength: weak; use a longer password that mixes letters, digits and symbols</translation>
    </message>
    <message>
        <source>密码强度：中</source>
        <translation>Strength: fair</translation>
    </message>
    <message>
        <source>密码强度：强</source>
        <translation>Strength: strong</translation>
    </message>
    <message>
        <source>请输入密码。</source>
        <translation>Please enter the password.</translation>
    </message>
    <message>
        <source>两次输入的密码不一致，请重新输入。</source>
        <translation>The two passwords differ. Please type them again.</translation>
    </message>
    <message>
        <source>正在核验系统账户密码…</source>
        <translation>Checking the account password…</translation>
    </message>
    <message>
        <source>正在打开本地数据库…</source>
        <translation>Opening the local database…</translation>
    </message>
    <message>
        <source>无法打开本地数据库（{error}）。详细信息已写入日志，请联系管理员。</source>
        <translation>The local database could not be opened ({error}). The details are in the log; please contact your administrator.</translation>
    </message>
</context>
<context>
    <name>UpdateDialog</name>
    <message>
        <source>新版本 {version}</source>
        <translation>New version {version}</translation>
    </message>
    <message>
        <source>新版本：</source>
        <translation>New version:</translation>
    </message>
    <message>
        <source>当前版本：</source>
        <translation>Current version:</translation>
    </message>
    <message>
        <source>发布日期：</source>
        <translation>Release date:</translation>
    </message>
    <message>
        <source>更新说明：</source>
        <translation>Release notes:</translation>
    </message>
    <message>
        <source>安装文件：</source>
        <translation>Installation files:</translation>
    </message>
    <message>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <source>大小</source>
        <translation>Size</translation>
    </message>
    <message>
        <source>下载地址：</source>
        <translation>Download links:</translation>
    </message>
    <message>
        <source>本程序不会自动下载或安装更新。请在浏览器中下载安装文件，核对大小和 SHA-256 与上表一致后，按单位规定安装，或联系管理员。</source>
        <translation>This program never downloads or installs updates by itself. Download the installation file in your browser, check that its size and SHA-256 match the table above, then install it as your organisation requires, or contact your administrator.</translation>
    </message>
    <message>
        <source>打开下载地址</source>
        <translation>Open download link</translation>
    </message>
</context>
<context>
    <name>UpdateNotice</name>
    <message>
        <source>有新版本的信用监管工作台，点击查看更新说明和下载地址</source>
        <translation>A new version of Credit Desk is available: click for the release notes and the download link</translation>
    </message>
    <message>
        <source>新版本 {version}</source>
        <translation>New version {version}</translation>
    </message>
    <message>
        <source>检查新版本</source>
        <translation>Checking for a new version</translation>
    </message>
</context>
<context>
    <name>VerificationBox</name>
    <message>
        <source>承诺核查</source>
        <translation>Commitment verification</translation>
    </message>
    <message>
        <source>尚未认定</source>
        <translation>No verdict yet</translation>
    </message>
    <message>
        <source>承诺属实</source>
        <translation>Commitment true</translation>
    </message>
    <message>
        <source>承诺不实（虚假承诺）</source>
        <translation>Commitment false (false commitment)</translation>
    </message>
    <message>
        <source>轻微</source>
        <translation>Minor</translation>
    </message>
    <message>
        <source>一般</source>
        <translation>General</translation>
    </message>
    <message>
        <source>严重</source>
        <translation>Serious</translation>
    </message>
    <message>
        <source>认定“承诺不实”须在检查结论中写明核查发现的事实和证据；提交后不能更改。</source>
        <translation>A “commitment false” verdict needs the facts and evidence in the conclusion; once submitted it cannot be changed.</translation>
    </message>
    <message>
        <source>情节：</source>
        <translation>Severity:</translation>
    </message>
    <message>
        <source>核查对象：</source>
        <translation>Commitment checked:</translation>
    </message>
    <message>
        <source>核查结论：</source>
        <translation>Verdict:</translation>
    </message>
    <message>
        <source>未知</source>
        <translation>unknown</translation>
    </message>
    <message>
        <source>{kind}：{matter}（签署于 {signed}）</source>
        <translation>{kind}: {matter} (signed {signed})</translation>
    </message>
</context>
<context>
    <name>WorkbenchPage</name>
    <message>
        <source>工作台</source>
        <translation>Workbench</translation>
    </message>
    <message>
        <source>本地缓存主体</source>
        <translation>Entities in the local cache</translation>
    </message>
    <message>
        <source>待同步变更</source>
        <translation>Changes waiting to sync</translation>
    </message>
    <message>
        <source>最近一次同步</source>
        <translation>Last sync</translation>
    </message>
    <message>
        <source>审计日志记录</source>
        <translation>Audit log entries</translation>
    </message>
    <message>
        <source>主体查询（Ctrl+F）</source>
        <translation>Entity lookup (Ctrl+F)</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>{days}个工作日内到期的容缺承诺</source>
        <translation>Tolerance acceptance commitments due within {days} working days</translation>
    </message>
    <message>
        <source>近期没有到期的容缺承诺。</source>
        <translation>No tolerance acceptance commitments are due soon.</translation>
    </message>
    <message>
        <source>材料已补齐</source>
        <translation>Materials complete</translation>
    </message>
    <message>
        <source>登记所选容缺承诺的材料已全部收到</source>
        <translation>Record that all materials of the selected tolerance acceptance commitment have arrived</translation>
    </message>
    <message>
        <source>已逾期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>没有逾期的承诺。</source>
        <translation>No overdue commitments.</translation>
    </message>
    <message>
        <source>待核查</source>
        <translation>To verify</translation>
    </message>
    <message>
        <source>没有待核查的承诺。</source>
        <translation>No commitments to verify.</translation>
    </message>
    <message>
        <source>{state}。{hint}</source>
        <translation>{state}. {hint}</translation>
    </message>
    <message>
        <source>经办人：{name}</source>
        <translation>Handled by: {name}</translation>
    </message>
    <message>
        <source>经办人：{name}（本机账户名；登录市级平台后将使用您的姓名）</source>
        <translation>Handled by: {name} (this computer&apos;s account name; your name is used once you log in to the municipal platform)</translation>
    </message>
    <message>
        <source>尚未同步</source>
        <translation>Never synced</translation>
    </message>
    <message>
        <source>已登记“{name}”的材料全部补齐（{status}）。</source>
        <translation>All materials of “{name}” recorded as received ({status}).</translation>
    </message>
</context>
</TS>
