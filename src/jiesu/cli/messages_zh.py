# ruff: noqa: E501 -- a catalogue: one message a line reads better than wrapped Chinese
"""The Chinese of every error message: the English template as the code raises it, and its Chinese.

A template is the message with each `{…}` of its f-string named (`{number}`, `{unit}`; `{v1}`, `{v2}`
where the code formats an expression); each name's text is carried into the Chinese as it is, and
translated too when it is itself a message. `cli/languages.say` words an error with these under
`--lang zh` (the default). Raising a new error? Add one line here: the template, then its Chinese.
`tests/cli/test_languages.py` walks every `raise …Error(…)` of the code and lists those with no line.
"""

_ZH_CLICK = {
    # Click's own usage errors (Typer's vendored Click)
    "No such option: {name}": "没有这个选项：{name}",
    "No such option: {name} (Possible options: {options})": "没有这个选项：{name}（可能是：{options}）",
    "Missing option {name}.": "缺少选项 {name}。",
    "Missing argument {name}.": "缺少参数 {name}。",
    "Missing parameter {name}.": "缺少参数 {name}。",
    "Missing parameter: {name}": "缺少参数：{name}",
    "Invalid value for {name}: {reason}": "{name} 的值无效：{reason}",
    "Invalid value: {reason}": "值无效：{reason}",
    "Value {value} is not a valid {kind}.": "{value} 不是有效的 {kind}。",
    "{value} is not one of {choices}.": "{value} 不在可选值 {choices} 之中。",
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "Got unexpected extra argument(s) ({args})": "多余的参数（{args}）",
    "No such command {name}.": "没有这个命令 {name}。",
    "No such command {name}. Did you mean {other}?": "没有这个命令 {name}。是否想用 {other}？",
    "Input should be a valid integer, unable to parse string as an integer": "须为整数",
    "Input should be a valid number, unable to parse string as a number": "须为数字",
    "Option {name} requires an argument.": "选项 {name} 需要一个值。",
    "Option {name} requires {n} arguments.": "选项 {name} 需要 {n} 个值。",
    "Option {name} does not take a value.": "选项 {name} 不带值。",
    "Could not open file {name}: {reason}": "无法打开文件 {name}：{reason}",
}

_ZH_CLI = {
    "unknown language {lang}; use zh or en": "未知语言 {lang}；请用 zh 或 en",
    "give --approve or --deny, not both": "--approve 和 --deny 只能给一个",
    "is empty; answer yes or no": "为空；请回答 yes 或 no",
    "give --reached or --unreachable": "请给出 --reached（已回访到）或 --unreachable（未接通）",
    "a decision takes only --reason (and --at); the request names unit and date": (
        "审批只需 --reason（和 --at）；单位和日期由申请给出"
    ),
    "name the lead unit asking for more time, or decide with --approve/--deny": (
        "请用 --unit 指明申请延期的主办单位，或用 --approve/--deny 审批"
    ),
    "cannot read {value}; answer yes or no (or 是/否)": "无法识别 {value}；请回答 yes 或 no（或 是/否）",
    "a decision is the centre's; drop --unit": "审批由中心作出；请去掉 --unit",
    "name the lead unit appealing, or decide with --approve/--deny": (
        "请用 --unit 指明申诉的主办单位，或用 --approve/--deny 审批"
    ),
    "only applies to --file; give the file to import with --file PATH": "只用于 --file；请用 --file PATH 给出要导入的文件",
    "is required; give --content TEXT (or --file PATH for many requests)": (
        "必填；请给出 --content 诉求内容（批量受理用 --file PATH）"
    ),
    "unknown format {value}; use {v1}": "未知格式 {value}；可用 {v1}",
    "cannot write {path}: {v1}": "无法写入 {path}：{v1}",
    "cannot write {out}: {v1}": "无法写入 {out}：{v1}",
    "unknown table {by}; use {v1}": "未知的表 {by}；可用 {v1}",
    "unknown class {unit_class}; use {v1}": "未知的单位类别 {unit_class}；可用 {v1}",
    "an xlsx report needs --out FILE.xlsx": "xlsx 报表须用 --out FILE.xlsx 指定文件",
    "unknown class {unit_class}; use one of {v1}": "未知的单位类别 {unit_class}；可用 {v1}",
    "must be 0 or more": "须为 0 或更大",
    "--reveal needs a reason; give --reason TEXT (the reveal is recorded)": (
        "--reveal 须说明理由；请给出 --reason 理由（查看将被记录）"
    ),
    "only goes with --reveal": "只能与 --reveal 同用",
    "rules file {path}: {problem}": "规则文件 {path}：{problem}",
    "rules file {path}: {problem} (and {n} more; run `jiesu rules check`)": (
        "规则文件 {path}：{problem}（另有 {n} 个问题；运行 `jiesu rules check` 查看）"
    ),
}

_ZH_DOMAIN = {
    "unknown country {country}; use an ISO code such as CN": "未知国家 {country}；请用 ISO 代码，如 CN",
    "cannot read {text} as a time limit; use e.g. 30m, 2h, 3d or 5wd": "无法把 {text} 读作时限；请用 30m、2h、3d 或 5wd 这样的写法",
    "{text} is no time at all; use at least 1{unit}": "{text} 时长为零；至少为 1{unit}",
    "{text} is too long; at most {MAX_WORKING_DAYS}wd": "{text} 太长；最多 {MAX_WORKING_DAYS}wd",
    "{limit} is counted in working days; use m, h or d for a span of time": (
        "{limit} 按工作日计算；表示一段时长请用 m、h 或 d"
    ),
    "unknown value {text}; use one of {allowed} (or {zh})": "未知的值 {text}；可用 {allowed}（或 {zh}）",
    "ticket {number} is {value}: {v1} needs a ticket that is {statuses}; now it allows {steps}": (
        "工单 {number} 状态为 {value}：{v1} 要求工单状态为 {statuses}；当前可做 {steps}"
    ),
    "unknown unit {v1}{v2}; see `jiesu units`": "未知单位 {v1}{v2}；见 `jiesu units`",
    "unknown unit {unit}; nearest: {nearest}; see `jiesu units`": "未知单位 {unit}；相近的有：{nearest}；见 `jiesu units`",
    "unknown unit {unit}; see `jiesu units`": "未知单位 {unit}；见 `jiesu units`",
    "give a unit code or name; see `jiesu units`": "请给出单位代码或名称；见 `jiesu units`",
    "{key} matches {v1} units: {listed}; give the code or the full name": (
        "{key} 对应 {v1} 个单位：{listed}；请给出代码或全称"
    ),
    "cannot read {text} as a month; use YYYY-MM such as 2026-11 (or 2026年11月)": (
        "无法把 {text} 读作月份；请用 YYYY-MM，如 2026-11（或 2026年11月）"
    ),
    "{last} is before --from {first}": "{last} 早于 --from {first}",
    "cannot read {value} as yes/no; use true or false": "无法把 {value} 读作是/否；请用 true 或 false",
    "too long ({v1} characters); at most {limit}": "太长（{v1} 个字符）；最多 {limit} 个",
    "{text} is not a phone number; use digits such as 13812345678 or 010-65123456": (
        "{text} 不是电话号码；请用数字，如 13812345678 或 010-65123456"
    ),
    "is empty; describe the request in a few words": "为空；请用几句话描述诉求",
    "is in the future; an intake time cannot be later than now": "在将来；受理时间不能晚于现在",
    "a request is either answered or referred, not both; drop --answer or --refer": (
        "诉求或直接答复或引导法定途径，不能兼有；请去掉 --answer 或 --refer"
    ),
    "cannot read {text} as a date; use YYYY-MM-DD such as 2026-11-12": "无法把 {text} 读作日期；请用 YYYY-MM-DD，如 2026-11-12",
    "empty date/time; give e.g. 2021-02-10T10:00 or '2021-02-10 10:00+08:00'": (
        "日期时间为空；请写成 2021-02-10T10:00 或 '2021-02-10 10:00+08:00' 这样"
    ),
    "cannot read {text}: give the year in full and first, such as 2026-11-12": "无法识别 {text}：请把完整年份写在最前，如 2026-11-12",
    "{text} could be day/month or month/day; write the year first: {year}-{second}-{one} or {year}-{one}-{second}": (
        "{text} 可能是日/月，也可能是月/日；请把年份写在前：{year}-{second}-{one} 或 {year}-{one}-{second}"
    ),
    "{text} gives no full date; write the date too, such as 2026-11-12 10:00": "{text} 没有完整日期；请连日期一起写，如 2026-11-12 10:00",
    "unknown time zone {name}; use an IANA name such as Asia/Shanghai": "未知时区 {name}；请用 IANA 名称，如 Asia/Shanghai",
    "cannot read {text}: give the year first, such as 2026-11-12 or 2026-11-12 14:30": (
        "无法识别 {text}：请把年份写在前，如 2026-11-12 或 2026-11-12 14:30"
    ),
    "cannot read {text} as a date: {exc}": "无法把 {text} 读作日期：{exc}",
    "cannot read {text} as a date/time; use ISO 8601 such as 2021-02-10T10:00+08:00 or 2021年2月10日 10:00": (
        "无法把 {text} 读作日期时间；请用 ISO 8601，如 2021-02-10T10:00+08:00，或 2021年2月10日 10:00"
    ),
}

_ZH_RULES = {
    "{day} is both an extra holiday and an extra workday": "{day} 既是额外假日又是额外工作日",
    'no "default" profile; add default = { accept = "1wd", contact = "24h", finish = "7d" }': (
        '没有 "default" 时限方案；请加上 default = { accept = "1wd", contact = "24h", finish = "7d" }'
    ),
    "{key}: unknown unit code {value}; add it to [[units]] or fix the code": "{key}：未知单位代码 {value}；请加入 [[units]] 或改正代码",
    "priority: must be an integer": "priority：须为整数",
    "urgent: must be true or false": "urgent：须为 true 或 false",
    "name: missing; every rule needs a unique name": "name：缺失；每条规则须有唯一的名称",
    'lead: missing; give a unit code or "@street" (or refer = "…")': 'lead：缺失；请给出单位代码或 "@street"（或 refer = "…"）',
    "co: {lead} is already the lead unit": "co：{lead} 已是主办单位",
    "limits: unknown limit profile {limit_name}; known: {known}": "limits：未知时限方案 {limit_name}；已有：{known}",
    "limits: unknown limit profile {limit_name}": "limits：未知时限方案 {limit_name}",
    "unknown section {section}{hint}": "未知的节 {section}{hint}",
    'must be a table such as { accept = "1wd", contact = "24h", finish = "7d" }': (
        '须为表，如 { accept = "1wd", contact = "24h", finish = "7d" }'
    ),
    'code: missing; give a short code such as "qingyuan"': 'code：缺失；请给出简短代码，如 "qingyuan"',
    "code: {code} may hold only lowercase letters, digits and '-'": "code：{code} 只能含小写字母、数字和 '-'",
    "duplicate unit code {code} (first at units[{v1}])": "单位代码 {code} 重复（首次出现在 units[{v1}]）",
    "name: missing; give the unit's full name": "name：缺失；请给出单位全称",
    "parent: unknown unit code {parent}": "parent：未知单位代码 {parent}",
    'street: unknown street {street}; it must be the code of a [[units]] entry with class = "street"': (
        'street：未知街乡镇 {street}；须为 [[units]] 中 class = "street" 的单位代码'
    ),
    'community: unknown community {community}; it must be the code of a [[units]] entry with class = "community"': (
        'community：未知社区村 {community}；须为 [[units]] 中 class = "community" 的单位代码'
    ),
    "names: give at least one place name": "names：至少给出一个地名",
    "streets: unknown street {street}": "streets：未知街乡镇 {street}",
    "{key}: unknown value {value}; use {v1}": "{key}：未知的值 {value}；可用 {v1}",
    "name: duplicate rule name (first at rules[{v1}])": "name：规则名称重复（首次出现在 rules[{v1}]）",
    "{step}: missing; give a time limit such as 24h or 5wd": "{step}：缺失；请给出时限，如 24h 或 5wd",
    "unknown key {key}; a profile has accept, contact and finish": "未知的键 {key}；时限方案只有 accept、contact 和 finish",
    "class: unknown class {raw_class}; use one of {allowed}": "class：未知单位类别 {raw_class}；可用 {allowed}",
    "parent: a unit cannot be its own parent": "parent：单位不能是自己的上级",
    "{key}: a refer rule closes the ticket as referred; it has no {key}": "{key}：引导法定途径的规则直接结案，没有 {key}",
    "can never win: {label} (priority {priority}) matches every request this rule matches and wins over it; "
    "raise this rule's priority or narrow the other": (
        "永远不会生效：{label}（优先级 {priority}）能命中本规则命中的每件诉求并优先于它；"
        "请提高本规则的优先级，或收窄另一条规则"
    ),
    "cannot read {value} as a date; use YYYY-MM-DD": "无法把 {value} 读作日期；请用 YYYY-MM-DD",
    "reopen_limits: unknown limit profile {reopen}": "reopen_limits：未知时限方案 {reopen}",
    "repeat_overlap: must be a number above 0 and at most 1, such as 0.5": "repeat_overlap：须为大于 0、不超过 1 的数，如 0.5",
    "repeat_callers_threshold: must be a whole number of at least 2": "repeat_callers_threshold：须为不小于 2 的整数",
    "the three weights add up to {v1}; they must add up to 1": "三项权重之和为 {v1}；须等于 1",
    '{key}: unknown unit code {code}; add it to [[units]], fix the code, or set "" for none': (
        '{key}：未知单位代码 {code}；请加入 [[units]]、改正代码，或设为 "" 表示没有'
    ),
    "warn_before: {text} must be a share above 0% and below 100%, such as 20%": "warn_before：{text} 须为大于 0%、小于 100% 的比例，如 20%",
    "{key}: must be a string": "{key}：须为字符串",
    "{key}: must be a list of non-empty strings": "{key}：须为非空字符串的列表",
    "must be a table": "须为表",
    "must be an array of tables ([[{section}]])": "须为表数组（[[{section}]]）",
    "{key}: use {v1} here, not {unit}": "{key}：此处请用 {v1}，不能用 {unit}",
    "{key}: must be a number from {low} to {high}": "{key}：须为 {low} 到 {high} 之间的数",
    "{key}: must be a whole number from {low} to {high}": "{key}：须为 {low} 到 {high} 之间的整数",
    "unknown key {key}{hint}": "未知的键 {key}{hint}",
    " (did you mean {name}?)": "（是否想写 {name}？）",
    "line {line}, column {column}: {reason}": "第 {line} 行第 {column} 列：{reason}",
    "line {line}: {problem}": "第 {line} 行：{problem}",
    'revealers: must be a list of OS logins, such as ["wangli", "zhaomin"]; [] for nobody': (
        'revealers：须为系统账号的列表，如 ["wangli", "zhaomin"]；[] 表示无人可查看'
    ),
    "revealers: {login} is not an OS login name (letters, digits, _ . -)": (
        "revealers：{login} 不是系统账号名（字母、数字、_ . -）"
    ),
    "group: {group} is not an OS group name (letters, digits, _ . -)": (
        "group：{group} 不是用户组名（字母、数字、_ . -）"
    ),
    "group: there is no group {group} on this machine; create it or fix the name": (
        "group：本机没有用户组 {group}；请创建它或改正名称"
    ),
}

_ZH_SERVICES = {
    "{rules_path} changed during the import; run the import again": "{rules_path} 在导入期间被改动；请重新导入",
    "{said} is not a number; set it to 0, 1 or 2": "{said} 不是数字；请设为 0、1 或 2",
    "a reached callback records all three answers: --contacted, --resolved and --satisfaction": (
        "回访到诉求人须记录三项回答：--contacted、--resolved 和 --satisfaction"
    ),
    "an unreachable callback has no answers; record them when reached": "未接通的回访没有回答；回访到时再记录",
    "only a request the requester says is unresolved (--resolved no) is reopened": "只有诉求人说未解决（--resolved no）的诉求才能重办",
    "only the lead unit ({lead_unit}) can appeal ticket {number}": "只有主办单位（{lead_unit}）能对工单 {number} 申诉",
    "ticket {number} already has an appeal that is {existing}": "工单 {number} 已有申诉，状态为 {existing}",
    "a ticket cannot be merged into itself": "工单不能合并到自己",
    "ticket {number} is {status}; a repeat is merged into an open ticket": "工单 {number} 状态为 {status}；重复诉求只能合并到在办工单",
    "unknown limit profile {profile}; known: {v1}": "未知时限方案 {profile}；已有：{v1}",
    "name the tickets to dispatch (jiesu dispatch NUMBER…), or give --pending for every waiting ticket": (
        "请给出要派单的工单编号（jiesu dispatch 编号…），或用 --pending 派出所有待派工单"
    ),
    "give ticket numbers or --pending, not both": "工单编号和 --pending 只能给一个",
    "--co and --limits go with --unit (a person's dispatch)": "--co 和 --limits 须与 --unit（人工派单）同用",
    "no ticket {number} in the case file; check the number with `jiesu search`": "案卷中没有工单 {number}；请用 `jiesu search` 核对编号",
    "no ticket {v1} in the case file; check the number with `jiesu search`": "案卷中没有工单 {v1}；请用 `jiesu search` 核对编号",
    "ticket {number} is {status} (lead unit {unit}); only pending tickets can be dispatched": (
        "工单 {number} 状态为 {status}（主办单位 {unit}）；只有待派单的工单才能派单"
    ),
    "ticket {number} is {status}; only pending tickets can be dispatched": "工单 {number} 状态为 {status}；只有待派单的工单才能派单",
    "unknown unit code {code}; see `jiesu units`": "未知单位代码 {code}；见 `jiesu units`",
    "unknown unit code {unit}; see `jiesu units`": "未知单位代码 {unit}；见 `jiesu units`",
    "a ticket changed while escalation was working on it; run `jiesu escalate` again": (
        "升级处理期间有工单被改动；请重新运行 `jiesu escalate`"
    ),
    "give either --until DATETIME or --by DURATION (such as 5wd)": "请给出 --until 时间 或 --by 时长（如 5wd）之一",
    "name the departments to summon, e.g. --summon chengguan,zhujianwei": "请给出要召集的部门，如 --summon chengguan,zhujianwei",
    "{unit} already accepted ticket {number} at {v1}": "{unit} 已于 {v1} 签收工单 {number}",
    "{unit} already finished its part of ticket {number}; it cannot return it": "{unit} 已办结其在工单 {number} 中的部分；不能再退单",
    "{unit} has not accepted ticket {number}; accept it first (jiesu accept)": "{unit} 尚未签收工单 {number}；请先签收（jiesu accept）",
    "{unit} already contacted the requester of ticket {number} at {when}": "{unit} 已于 {when} 联系过工单 {number} 的诉求人",
    "ticket {number} already has an extension request waiting; approve or deny it first": (
        "工单 {number} 已有待审批的延期申请；请先批准或驳回"
    ),
    "must be after the current finish deadline {v1}": "须晚于当前办结时限 {v1}",
    "an extension may reach {v1} at most ([handling] max_extension = {max_extension}); ask for less": (
        "延期最多到 {v1}（[handling] max_extension = {max_extension}）；请缩短"
    ),
    "only a street or township lead unit can whistle (吹哨); {unit} is a {kind}": "只有作为主办单位的街乡镇才能吹哨；{unit} 是 {kind}",
    "{unit} already finished ticket {number}": "{unit} 已办结工单 {number}",
    "{code} is already handling ticket {number}": "{code} 已在办理工单 {number}",
    "{name}: a JSON Lines file's rejects are its lines as they were; name it .jsonl": (
        "{name}：JSON Lines 文件的拒收行按原样保存；请用 .jsonl 结尾"
    ),
    "{name}: the rejects of {name} are written as CSV; name it .csv": "{name}：{name} 的拒收行以 CSV 保存；请用 .csv 结尾",
    "cannot write {target}: {v1}": "无法写入 {target}：{v1}",
    "cannot write {target}: {v1}; the bad rows are in {partial}": "无法写入 {target}：{v1}；拒收行在 {partial}",
    "cannot read {v1}: {v2}": "无法读取 {v1}：{v2}",
    "{name}: {where}unknown {noun} {listed}; rename {them}, or skip {them} with --ignore-column NAME": (
        "{name}：{where}未知的{noun} {listed}；请给{them}改名，或用 --ignore-column 列名 跳过{them}"
    ),
    "{name}: columns {first} and {second} both give {field}; keep one, or skip the other with --ignore-column NAME": (
        "{name}：{first} 和 {second} 两列都对应字段 {field}；请只留一列，或用 --ignore-column 列名 跳过另一列"
    ),
    "{name}: no content column; name one 'content' or '诉求内容'": "{name}：没有诉求内容列；请把一列命名为 'content' 或 '诉求内容'",
    "{name}: unknown file type; use .csv, .jsonl or .xlsx": "{name}：未知文件类型；请用 .csv、.jsonl 或 .xlsx",
    "{path}: no such file": "{path}：文件不存在",
    "{name}: is a zip file, most likely an XLSX workbook; name it .xlsx": "{name}：是 zip 文件，很可能是 XLSX 工作簿；请用 .xlsx 结尾",
    "{name}: is an old Excel .xls workbook; save it as .xlsx or CSV UTF-8": "{name}：是旧版 Excel .xls 工作簿；请另存为 .xlsx 或 CSV UTF-8",
    "{name}: is not text (UTF-16 without a byte-order mark, or a binary file); save it as CSV UTF-8": (
        "{name}：不是文本（无字节序标记的 UTF-16，或二进制文件）；请另存为 CSV UTF-8"
    ),
    "{name}: not a readable XLSX workbook ({exc})": "{name}：无法读取的 XLSX 工作簿（{exc}）",
    "{name}: after row {last}: not UTF-8 or GB18030 text ({reason})": "{name}：第 {last} 行之后：不是 UTF-8 或 GB18030 文本（{reason}）",
    "{name}: after row {last}: cannot read the file ({exc})": "{name}：第 {last} 行之后：无法读取文件（{exc}）",
    "give --month YYYY-MM (or --from DATE --to DATE)": "请给出 --month YYYY-MM（或 --from 日期 --to 日期）",
    "give --month or --from/--to, not both": "--month 和 --from/--to 只能给一种",
    "give both --from and --to": "请同时给出 --from 和 --to",
    "--days and --min must be at least 1": "--days 和 --min 至少为 1",
    "{samples} not found; reinstall jiesu, or set JIESU_SAMPLE_DATA to a sample_data folder": (
        "找不到 {samples}；请重装 jiesu，或把 JIESU_SAMPLE_DATA 设为 sample_data 文件夹"
    ),
    "{db} already exists; the demo never overwrites a case file; pick a new path": "{db} 已存在；演示从不覆盖案卷文件；请换一个路径",
    "database {v1} already holds tables; the demo never writes into an existing case file; name an empty database": (
        "数据库 {v1} 已有表；演示从不写入已有的案卷；请指定一个空数据库"
    ),
    "{unit} is not {what} ticket {number}; its active units: {units}": "{unit} 不是工单 {number} 的{what}；在办单位：{units}",
    "the lead unit of": "主办单位",
    "column": "列",
    "columns": "列",
    "key": "键",
    "keys": "键",
    "it": "它",
    "them": "它们",
    "assigned to": "承办单位",
    "is required; {what}": "必填；{what}",
    "ticket {number} has no {what} waiting for a decision": "工单 {number} 没有待审批的{what}",
    "is in the future; a step cannot be recorded before it happens": "在将来；环节发生之前不能记录",
    "{v1} is before the ticket's last step ({v2}); history is in order": "{v1} 早于工单的上一环节（{v2}）；办理记录须按时间顺序",
    "a reveal needs a reason; give --reason TEXT": "查看保密信息须说明理由；请给出 --reason 理由",
    "OS login {login} may not reveal a confidential requester: it is not in [privacy] revealers of {path}; "
    "nothing was recorded": (
        "系统账号 {login} 无权查看保密诉求人：不在 {path} 的 [privacy] revealers 之列；未作任何记录"
    ),
    "OS login {login} may not reveal a confidential requester: the case file records no owner, so only "
    "[privacy] revealers may reveal; list who may in {path}": (
        "系统账号 {login} 无权查看保密诉求人：案卷未记录所有者，"
        "只有 [privacy] revealers 所列账号可以查看；"
        "请在 {path} 中列出可查看的账号"
    ),
    "OS login {login} may not reveal a confidential requester: without [privacy] revealers in {path}, only "
    "the case file's owner ({owner}) may; list who may there": (
        "系统账号 {login} 无权查看保密诉求人：{path} 未设 [privacy] revealers 时，"
        "只有案卷所有者（{owner}）可以查看；"
        "请在其中列出可查看的账号"
    ),
    "must be at least 1": "至少为 1",
    "is empty; give a word or phrase to look for, e.g. jiesu search 漏水": "为空；请给出要查找的词语，如 jiesu search 漏水",
}

_ZH_STORE = {
    "{path} is a folder, not a case file; name a file, e.g. {v1}": "{path} 是文件夹，不是案卷文件；请指定文件，如 {v1}",
    "no case file at {path}; {RUN_INIT}": "{path} 没有案卷文件；{RUN_INIT}",
    "no case file at {shown}; {RUN_INIT}": "{shown} 没有案卷文件；{RUN_INIT}",
    "cannot create case file {path}: folder {parent} does not exist; create it first": (
        "无法创建案卷文件 {path}：文件夹 {parent} 不存在；请先创建"
    ),
    "{path} is not a jiesu case file (not a SQLite database); check --db/JIESU_DB": (
        "{path} 不是 jiesu 案卷文件（不是 SQLite 数据库）；请检查 --db/JIESU_DB"
    ),
    "unknown database kind {scheme}; give a SQLite file path or a postgresql:// URL": (
        "未知的数据库类型 {scheme}；请给出 SQLite 文件路径或 postgresql:// 地址"
    ),
    "cannot read case file {path}: {v1}": "无法读取案卷文件 {path}：{v1}",
    "PostgreSQL support is not installed; install jiesu with its extra: pip install 'jiesu[postgres]'": (
        "未安装 PostgreSQL 支持；请安装带扩展的 jiesu：pip install 'jiesu[postgres]'"
    ),
    "{shown} is not a jiesu case file (it has tables of another program); check --db": (
        "{shown} 不是 jiesu 案卷（其中有其他程序的表）；请检查 --db"
    ),
    "cannot open case file {shown}: {detail}": "无法打开案卷文件 {shown}：{detail}",
    "cannot connect to {shown}: {detail}": "无法连接 {shown}：{detail}",
    "the case file has schema version {found}, newer than this jiesu understands ({SCHEMA_VERSION}); "
    "upgrade jiesu to open it": "案卷文件的结构版本为 {found}，比本 jiesu 支持的（{SCHEMA_VERSION}）新；请升级 jiesu 后再打开",
    "the database is not a jiesu case file (it has tables of another program); check --db": (
        "该数据库不是 jiesu 案卷（其中有其他程序的表）；请检查 --db"
    ),
    "ticket {v1} changed while you were working on it; run the command again": "工单 {v1} 在您操作期间被改动；请重新运行命令",
    "run `jiesu init` to create one, or check --db/JIESU_DB": "运行 `jiesu init` 创建一个，或检查 --db/JIESU_DB",
    "the case file refused the write ({reason}); it was rolled back": ("案卷拒绝了这次写入（{reason}）；已回滚"),
    "cannot create case file {path}: {v1}": "无法创建案卷文件 {path}：{v1}",
    "[privacy] group: this system has no POSIX groups; remove the key": (
        "[privacy] group：本系统没有 POSIX 用户组；请删去此键"
    ),
    "[privacy] group: there is no group {group} on this machine; create it or fix the rules file": (
        "[privacy] group：本机没有用户组 {group}；请创建它或改正规则文件"
    ),
    "[privacy] group: cannot give {path} to group {group}; the account running jiesu must be a member of it": (
        "[privacy] group：无法把 {path} 交给用户组 {group}；运行 jiesu 的账号须是该组成员"
    ),
}

# Issue 16: values out of range, files that are not what they seem, a busy case file.
_ZH_LIMITS = {
    "{text} is out of range; give a time between 1900 and 2199": "{text} 超出范围；请给出 1900 至 2199 年间的时间",
    "{text} is out of range; give a month between 1900 and 2199": "{text} 超出范围；请给出 1900 至 2199 年间的月份",
    "{text} is out of range; give a date between 1900 and 2199": "{text} 超出范围；请给出 1900 至 2199 年间的日期",
    "{text} has an impossible UTC offset; use one such as +08:00": "{text} 的 UTC 时差不存在；请用 +08:00 这样的时差",
    "{text} is too long; at most {most}": "{text} 太长；最多 {most}",
    "{limit} is out of range; give 1 to {most}": "{limit} 超出范围；请给出 1 至 {most}",
    "{days} is out of range; give a window of 1 to {most} days": "{days} 超出范围；时间窗须为 1 至 {most} 天",
    "{minimum} is out of range; give a count of 1 to {most}": "{minimum} 超出范围；件数须为 1 至 {most}",
    "{generate} is out of range; give 0 to {most}": "{generate} 超出范围；请给出 0 至 {most}",
    "{path} is a folder; name the file to import in it": "{path} 是文件夹；请指定其中要导入的文件",
    "{path} is not a regular file (a pipe, socket or device); import a file": (
        "{path} 不是普通文件（是管道、套接字或设备）；请导入一个文件"
    ),
    "{path} is a folder; attach a file": "{path} 是文件夹；请附加一个文件",
    "{path} is not a regular file (a pipe, socket or device); attach a file": (
        "{path} 不是普通文件（是管道、套接字或设备）；请附加一个文件"
    ),
    "the case file is busy: another command held it for {seconds} s (a long import or a stuck program?); "
    "try again in a moment": "案卷正忙：另一个命令已占用它 {seconds} 秒（长时间的导入，或卡住的程序？）；请稍后再试",
    "{given} already exists; name a new file, or replace it with --force": (
        "{given} 已存在；请换一个新文件名，或用 --force 覆盖它"
    ),
    "{given} is the input file {name} itself; name another file for the bad rows": (
        "{given} 就是输入文件 {name} 本身；请为拒收行另指定一个文件"
    ),
    "{target} is the case file; name another file for the bad rows": "{target} 是案卷文件；请为拒收行另指定一个文件",
    "{name}: is not UTF-8 or GB18030 text; it looks like {likely}. Save it as CSV UTF-8 "
    "(Excel: Save As → CSV UTF-8) and import it again": (
        "{name}：不是 UTF-8 或 GB18030 文本，看来是 {likely}。请另存为 CSV UTF-8（Excel：另存为 → CSV UTF-8）后再导入"
    ),
}

_ZH_MERGED = {
    # messages of features merged from other branches (issue 12, 13, 14a, 16)
    "unknown encoding {value}; use {v1}": "未知编码 {value}；可用 {v1}",
    "{out} is a folder; name a file to write to": "{out} 是文件夹；请指定要写入的文件",
    "{out} is not a regular file (a pipe, socket or device); name a file to write to": (
        "{out} 不是普通文件（管道、套接字或设备）；请指定要写入的文件"
    ),
    "--trend is drawn in the terminal (table) or written as json": "--trend 在终端中绘制（table）或输出为 json",
    "{generate} is out of range; give 0 to {MAX_GENERATED}": "{generate} 超出范围；请给出 0 到 {MAX_GENERATED}",
    "a workbook needs a file: add --out FILE.xlsx": "工作簿须写入文件：请加上 --out FILE.xlsx",
    "a table is for the terminal; to write a file add --format csv|jsonl|json|xlsx": (
        "表格只用于终端；写入文件请加上 --format csv|jsonl|json|xlsx"
    ),
    "the repeat callers' list is written as table, json, jsonl or csv": "反复来电名单可输出为 table、json、jsonl 或 csv",
    "the rules file's [calendar] country: unknown country {country}; use an ISO code such as CN (see `jiesu rules check`)": (
        "规则文件的 [calendar] country：未知国家 {country}；请用 ISO 代码，如 CN（见 `jiesu rules check`）"
    ),
    "{text} is too long; at most {v1}{unit}": "{text} 太长；最多 {v1}{unit}",
    "is {status}; GeoReport v2 knows open and closed": "为 {status}；GeoReport v2 只有 open 和 closed",
    "an Open311 JSON file holds an array of service request objects": "Open311 JSON 文件应为服务请求对象的数组",
    "the root element is <{tag}>; an Open311 file has <service_requests>": "根元素为 <{tag}>；Open311 文件应为 <service_requests>",
    "not valid JSON ({msg} at line {lineno} column {colno})": "不是有效的 JSON（第 {lineno} 行第 {colno} 列：{msg}）",
    "not well-formed XML ({exc})": "不是格式正确的 XML（{exc}）",
    "{text} is out of range; give a month between 1900 and 2199": "{text} 超出范围；请给出 1900 到 2199 年之间的月份",
    "a request is answered, referred or guided, only one of them; drop --guide or --answer/--refer": (
        "诉求只能是直接答复、引导法定途径或引导市场和社会力量之一；请去掉 --guide 或 --answer/--refer"
    ),
    "a guided request says where to: add --guide-to market or --guide-to social": (
        "引导的诉求须说明引导方向：请加上 --guide-to market 或 --guide-to social"
    ),
    "is required with --guide-to; say whom the requester was guided to": "与 --guide-to 同用时必填；请说明把诉求人引导给了谁",
    "{text} is out of range; give a date between 1900 and 2199": "{text} 超出范围；请给出 1900 到 2199 年之间的日期",
    "{shown} is out of range; give a time between 1900 and 2199": "{shown} 超出范围；请给出 1900 到 2199 年之间的时间",
    "{text} has an impossible UTC offset; use one such as +08:00": "{text} 的 UTC 偏移不可能存在；请用 +08:00 这样的偏移",
    "{key}: {v1}… is {v2} characters long; a keyword is at most {MAX_KEYWORD} (a word or short phrase that appears in requests)": (
        "{key}：{v1}… 长 {v2} 个字符；关键词最多 {MAX_KEYWORD} 个字符（诉求中出现的词或短语）"
    ),
    'must be a list of days such as [2026-10-09] or ["2026-10-09"], not {values}': (
        '须为日期列表，如 [2026-10-09] 或 ["2026-10-09"]，不能是 {values}'
    ),
    "parent: the units' parents go round in a circle ({v1}); one of them must have no parent or a higher one": (
        "parent：单位的上级形成了循环（{v1}）；其中一个须没有上级或有更高的上级"
    ),
    "{v1} is a date and time; give the day alone, such as {v2}": "{v1} 是日期加时间；请只给日期，如 {v2}",
    'parent: {parent} is a {value}; a community\'s parent is its street or township (class = "street")': (
        'parent：{parent} 是{value}；社区村的上级须为其街乡镇（class = "street"）'
    ),
    'start: cannot read {value} as a month; use YYYY-MM such as "2026-01"': 'start：无法把 {value} 读作月份；请用 YYYY-MM，如 "2026-01"',
    "group: {group} is not an OS group name (letters, digits, _ . -)": "group：{group} 不是操作系统的组名（字母、数字、_ . -）",
    "suggest: must be true or false": "suggest：须为 true 或 false",
    "auto_dispatch: must be a confidence from 0.5 to 1, such as 0.9 (leave it out to never dispatch on a suggestion alone)": (
        "auto_dispatch：须为 0.5 到 1 之间的置信度，如 0.9（不写则从不只凭建议派单）"
    ),
    'name: missing; give the problem\'s name, such as "拖欠工资"': 'name：缺失；请给出问题名称，如 "拖欠工资"',
    'give keywords (e.g. ["拖欠工资", "欠薪"]) or categories (e.g. ["劳动和社会保障"])': '请给出关键词（如 ["拖欠工资", "欠薪"]）或分类（如 ["劳动和社会保障"]）',
    'revealers: must be a list of OS logins, such as ["wangli", "zhaomin"]; [] for nobody': 'revealers：须为操作系统登录名列表，如 ["wangli", "zhaomin"]；[] 表示没有人',
    "group: there is no group {group} on this machine; create it or fix the name": "group：本机没有组 {group}；请创建它或改正名称",
    "name: duplicate topic name (first at topics[{v1}])": "name：问题名称重复（首次出现在 topics[{v1}]）",
    "places: unknown place {place}; use the code of a street or community unit": "places：未知地点 {place}；请用街乡镇或社区村单位的代码",
    "revealers: {login} is not an OS login name (letters, digits, _ . -)": "revealers：{login} 不是操作系统登录名（字母、数字、_ . -）",
    "{key}: must be true or false": "{key}：须为 true 或 false",
    "ticket {number} has no learned suggestion: no model yet; run `jiesu rules learn`, or dispatch it by hand with --unit": (
        "工单 {number} 没有学习得到的建议：尚无模型；请运行 `jiesu rules learn`，或用 --unit 人工派单"
    ),
    "the suggestion for ticket {number} ({category}) names no unit: no closed ticket of that category shows who handles it; dispatch it by hand with --unit": (
        "工单 {number} 的建议（{category}）没有单位：该分类没有已结工单可说明由谁办理；请用 --unit 人工派单"
    ),
    "takes the suggestion's unit; leave out --unit, --co, --limits and --category": "采用建议的单位；请去掉 --unit、--co、--limits 和 --category",
    "--co, --limits and --category go with --unit (a person's dispatch)": "--co、--limits 和 --category 须与 --unit（人工派单）同用",
    "is empty; give a category such as 城乡建设/供水, or leave it out": "为空；请给出分类，如 城乡建设/供水，或不写",
    "{target} is the case file; name another file for the bad rows": "{target} 是案卷文件；请为拒收行另指定一个文件",
    "{given} is the input file {name} itself; name another file for the bad rows": "{given} 就是输入文件 {name}；请为拒收行另指定一个文件",
    "{given} is a folder; name a file for the bad rows, e.g. {v1}": "{given} 是文件夹；请为拒收行指定一个文件，如 {v1}",
    "{given} already exists; name a new file, or replace it with --force": "{given} 已存在；请换一个新文件名，或用 --force 替换",
    "must be at least 2": "至少为 2",
    "must be at least 2 (cross-validation needs two tickets of a label)": "至少为 2（交叉验证每个标签至少需要两件工单）",
    "{v1} is {what}; attach a file": "{v1} 是{what}；请附上文件",
    "{path}: cannot read ({v1})": "{path}：无法读取（{v1}）",
    "{name}: {message}": "{name}：{message}",
    "{name}: Open311 files are UTF-8 ({reason})": "{name}：Open311 文件须为 UTF-8（{reason}）",
    "{name} runs until {last}; a period is published once it is over (from {v1})": "{name} 到 {last} 才结束；期间结束后（{v1} 起）才能公示",
    "{name} was published on {v1} (revision {revision}, hash {v2}); publish corrections as a new revision with --revision": (
        "{name} 已于 {v1} 公示（第 {revision} 版，哈希 {v2}）；更正请用 --revision 公示新版本"
    ),
    "{name} has not been published yet; publish it without --revision": "{name} 尚未公示；请不带 --revision 公示",
    "{wanted} has not been published; see `jiesu report publications`": "{wanted} 尚未公示；见 `jiesu report publications`",
    "{name}: is not UTF-8 or GB18030 text; it looks like {likely}. Save it as CSV UTF-8 (Excel: Save As → CSV UTF-8) and import it again": (
        "{name}：不是 UTF-8 或 GB18030 文本，看起来像 {likely}。请另存为 CSV UTF-8（Excel：另存为 → CSV UTF-8）后重新导入"
    ),
    "{path} is a folder; name the file to import in it": "{path} 是文件夹；请指定其中要导入的文件",
    "{path} is not a regular file (a pipe, socket or device); import a file": "{path} 不是普通文件（管道、套接字或设备）；请导入文件",
    "{name}: unknown file type; use .csv, .jsonl, .xlsx, or Open311 .json/.xml": "{name}：未知文件类型；请用 .csv、.jsonl、.xlsx 或 Open311 的 .json/.xml",
    "{name}: cannot read the header row ({exc})": "{name}：无法读取表头行（{exc}）",
    "{days} is out of range; give a window of 1 to {MAX_HOTSPOT_DAYS} days": "{days} 超出范围；窗口须为 1 到 {MAX_HOTSPOT_DAYS} 天",
    "{minimum} is out of range; give a count of 1 to {MAX_HOTSPOT_MIN}": "{minimum} 超出范围；件数须为 1 到 {MAX_HOTSPOT_MIN}",
    "is empty; say why the published period is corrected": "为空；请说明为何更正已公示的期间",
    '{v1} falls in {period}, published on {v2} (revision {revision}, hash {v3}); to change published figures give --correction "reason"': (
        '{v1} 落在 {period}，该期已于 {v2} 公示（第 {revision} 版，哈希 {v3}）；要改动已公示的数字请给出 --correction "理由"'
    ),
    "this step changes no published period; drop --correction": "本环节不改动任何已公示期间；请去掉 --correction",
    "is empty; name the unit by its code (on ticket {number}: {units})": "为空；请给出单位代码（工单 {number} 上的单位：{units}）",
    "{who}: it is not in [privacy] revealers of {path}; nothing was recorded": "{who}：不在 {path} 的 [privacy] revealers 中；未作任何记录",
    "{who}: the case file records no owner, so only [privacy] revealers may reveal; list who may in {path}": (
        "{who}：案卷未记录所有者，只有 [privacy] revealers 可查看；请在 {path} 中列出可查看的人"
    ),
    "{limit} is out of range; give 1 to {MAX_LIMIT}": "{limit} 超出范围；请给出 1 到 {MAX_LIMIT}",
    "must be from 2 to 60": "须为 2 到 60",
    "cannot create case file {path}: {v1}": "无法创建案卷文件 {path}：{v1}",
    "the case file refused the write ({v1}); it was rolled back": "案卷文件拒绝了写入（{v1}）；已回滚",
    "[privacy] group: this system has no POSIX groups; remove the key": "[privacy] group：本系统没有 POSIX 组；请删去该键",
    "[privacy] group: there is no group {group} on this machine; create it or fix the rules file": "[privacy] group：本机没有组 {group}；请创建它或改正规则文件",
    "[privacy] group: cannot give {path} to group {group}; the account running jiesu must be a member of it": (
        "[privacy] group：无法把 {path} 交给组 {group}；运行 jiesu 的账户须是该组成员"
    ),
}

MESSAGES_ZH: dict[str, str] = (
    _ZH_CLICK | _ZH_CLI | _ZH_DOMAIN | _ZH_RULES | _ZH_SERVICES | _ZH_STORE | _ZH_LIMITS | _ZH_MERGED
)
