<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>BusyWindow</name>
    <message>
        <source>信用监管工作台</source>
        <translation>Credit Desk</translation>
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
        <source>（未登记）</source>
        <translation>(not registered)</translation>
    </message>
    <message>
        <source>暂无</source>
        <translation>none</translation>
    </message>
    <message>
        <source>内部风险分类（仅供监管人员参阅）：{grade}</source>
        <translation>Internal risk class (for regulatory staff only): {grade}</translation>
    </message>
    <message>
        <source>本地缓存更新于 {time}，数据版本 {version}</source>
        <translation>Local cache updated {time}, data version {version}</translation>
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
        <source>仍然使用（需填写理由）</source>
        <translation>Use anyway (reason required)</translation>
    </message>
    <message>
        <source>正在查询…</source>
        <translation>Searching…</translation>
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
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>离线 · 未连接市级平台</source>
        <translation>Offline · not connected to the city platform</translation>
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
    <name>PendingPage</name>
    <message>
        <source>本模块将在后续版本中提供。</source>
        <translation>This module will be available in a later release.</translation>
    </message>
</context>
<context>
    <name>Printing</name>
    <message>
        <source>打印预览：{title}</source>
        <translation>Print preview: {title}</translation>
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
        <source>打印预览 — {number}</source>
        <translation>Print preview — {number}</translation>
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
    <name>SyncController</name>
    <message>
        <source>请填写市级平台地址。</source>
        <translation>Enter the address of the municipal platform.</translation>
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
        <source>正在检测连接</source>
        <translation>checking the connection</translation>
    </message>
    <message>
        <source>在线</source>
        <translation>online</translation>
    </message>
    <message>
        <source>离线</source>
        <translation>offline</translation>
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
        <source>同步完成</source>
        <translation>Sync finished</translation>
    </message>
    <message>
        <source>正在连接平台…</source>
        <translation>Connecting to the platform…</translation>
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
        <source>{kind} {record}：请逐项比较后选择保留哪一方的值。</source>
        <translation>{kind} {record}: compare each field, then choose which side to keep.</translation>
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
        <source>信用监管工作台 — 本地数据库</source>
        <translation>Credit Desk — local database</translation>
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
        <source>打开</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>退出</source>
        <translation>Quit</translation>
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
        <source>正在打开本地数据库…</source>
        <translation>Opening the local database…</translation>
    </message>
    <message>
        <source>无法打开本地数据库（{error}）。详细信息已写入日志，请联系管理员。</source>
        <translation>The local database could not be opened ({error}). The details are in the log; please contact your administrator.</translation>
    </message>
</context>
<context>
    <name>WorkbenchPage</name>
    <message>
        <source>工作台</source>
        <translation>Workbench</translation>
    </message>
    <message>
        <source>离线工作模式：尚未连接市级平台，所有查询均基于本地缓存。</source>
        <translation>Working offline: not connected to the city platform. Every lookup uses the local cache.</translation>
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
        <source>尚未同步</source>
        <translation>Never synced</translation>
    </message>
</context>
</TS>
