# ruff: noqa: E501 -- a catalogue: one message a line reads better than wrapped Chinese
"""The Chinese of every `--help` text: the English text as written in the command, and its Chinese.

`--help` shows these under `--lang zh` (the default); `--lang en` shows the English as written.
Adding an option or a command? Add one line here: its English help text, then its Chinese.
`tests/cli/test_languages.py` lists every help text that has no line yet.
"""

HELP_ZH: dict[str, str] = {
    # --- the root command and its global options ---------------------------------------------------
    "接诉即办 jiesu — take in, dispatch, track and assess 12345 citizen requests.": (
        "接诉即办 jiesu —— 受理、派单、跟踪、考评 12345 市民诉求。"
    ),
    "Global options; each can also be set with its environment variable.": "全局选项；每个都可用对应的环境变量设置。",
    "Case file (SQLite path or postgresql:// URL).": "案卷文件（SQLite 路径或 postgresql:// 地址）。",
    "Rules file (default: ./jiesu.toml if present, else bundled).": "规则文件（默认：有 ./jiesu.toml 用它，否则用内置规则）。",
    "The clock, for back-filling, replays and tests (default: real time).": "当前时间，用于补录、回放和测试（默认：实际时间）。",
    "Labels in output: zh or en.": "界面语言：zh（中文）或 en（英文）。",
    "Who is acting, recorded on every event (default: login).": "操作人，记入每条办理记录（默认：登录名）。",
    "Show the version and exit.": "显示版本号并退出。",
    "Show this message and exit.": "显示本帮助并退出。",
    "Install completion for the current shell.": "为当前 shell 安装命令补全。",
    "Show completion for the current shell, to copy it or customize the installation.": (
        "显示当前 shell 的补全脚本，可复制或自行安装。"
    ),
    # --- init, demo ---------------------------------------------------------------------------------
    "Create (or upgrade) the case file, and write a starter jiesu.toml when there is none.": (
        "创建（或升级）案卷文件；没有 jiesu.toml 时写一个起步规则文件。"
    ),
    "A month in a district office in one command: intake, dispatch, handling, callbacks, escalation.": (
        "一条命令演示一个区中心的一个月：受理、派单、办理、回访、升级。"
    ),
    "Case file to create (default: a new temporary one).": "要创建的案卷文件（默认：新建临时文件）。",
    "The month to replay, YYYY-MM (2026-10 has the 344 samples).": "回放的月份，YYYY-MM（2026-10 含 344 条样例）。",
    "The same seed gives the same month.": "随机种子：同一种子得到同样的一个月。",
    "Generated requests on top of the samples.": "在样例之外再生成的诉求条数。",
    "table, or json (the month's report only).": "table（表格），或 json（仅本月考评）。",
    # --- intake -------------------------------------------------------------------------------------
    "Take a request in (受理) and give it a ticket number; or a whole file of requests with --file.": (
        "受理一件诉求并给出工单编号；或用 --file 批量受理一个文件。"
    ),
    "What the requester asks (required).": "诉求内容（必填）。",
    "Short title (default: start of the content).": "标题（默认：诉求内容的开头）。",
    "consult|help|complain|report|suggest|praise (or 咨询/求助/投诉/举报/建议/表扬).": (
        "诉求类型：咨询/求助/投诉/举报/建议/表扬（或 consult|help|complain|report|suggest|praise）。"
    ),
    "phone|web|app|wechat|email|walk-in|other.": "渠道：phone|web|app|wechat|email|walk-in|other。",
    "Requester's name.": "诉求人姓名。",
    "Requester's phone.": "诉求人电话。",
    "person|company|org.": "诉求人类型：person（个人）|company（企业）|org（其他组织）。",
    "Where the matter is.": "事发地址。",
    "District (区).": "所属区。",
    "Street or township (街乡镇): code, name or part of it.": "街乡镇：代码、名称或名称的一部分。",
    "Community or village (社区村): code, name or part of it.": "社区村：代码、名称或名称的一部分。",
    "Category, e.g. 城乡建设/供水.": "诉求分类，如 城乡建设/供水。",
    "An urgent request.": "紧急诉求。",
    "Keep the requester's identity secret.": "为诉求人保密。",
    "A voice, image, video or document file (repeatable).": "录音、图片、视频或文档附件（可重复）。",
    "Answered directly at intake: the answer given.": "受理时直接答复：答复内容。",
    "Referred to a legal channel: what the requester was told.": "引导法定途径：告知诉求人的内容。",
    "The request's id in another system.": "诉求在其他系统中的编号。",
    "Leave the ticket for a person to dispatch.": "暂不派单，留待人工派单。",
    "Take in every row of a CSV (UTF-8 or GB18030), JSON Lines or XLSX file.": (
        "批量受理 CSV（UTF-8 或 GB18030）、JSON Lines 或 XLSX 文件的每一行。"
    ),
    "Where bad rows of --file go (default: FILE.rejects.csv; .rejects.jsonl for JSON Lines).": (
        "--file 中拒收行的去处（默认：FILE.rejects.csv；JSON Lines 为 .rejects.jsonl）。"
    ),
    "A column or JSON key of --file to skip; an unknown one otherwise refuses the file (repeatable).": (
        "跳过 --file 的某一列或 JSON 键；未知列不跳过则整个文件被拒收（可重复）。"
    ),
    "Output format.": "输出格式。",
    # --- dispatch -----------------------------------------------------------------------------------
    "(Re)apply the rules to pending tickets (派单), or dispatch by hand with --unit.": (
        "按规则（重新）派单待派工单，或用 --unit 人工派单。"
    ),
    "Ticket numbers.": "工单编号。",
    "Every ticket waiting to be dispatched.": "所有待派单的工单。",
    "Dispatch by hand to this lead unit (its code or name).": "人工派给此主办单位（代码或名称）。",
    "Co-handlers with --unit (codes or names), comma-separated.": "与 --unit 同用：协办单位（代码或名称），逗号分隔。",
    "Limit profile with --unit (default: the rules file's dispatch.limits).": (
        "与 --unit 同用：时限方案（默认：规则文件的 dispatch.limits）。"
    ),
    "Show what would happen; change nothing.": "只试算，不做任何改动。",
    # --- handling and callback ----------------------------------------------------------------------
    "签收: the unit takes the ticket (a summoned department reports in).": "签收：承办单位签收工单（被召集的部门即为报到）。",
    "The acting unit: its code, name or part of the name.": "办理单位：代码、名称或名称的一部分。",
    "When it happened (default: the clock).": "发生时间（默认：当前时间）。",
    "A note recorded with the step.": "随本环节记录的说明。",
    "退单: the unit sends the ticket back as not theirs; a lead's return puts it back in the queue.": (
        "退单：承办单位认为不属本单位职责而退回；主办单位退单后工单回到待派单。"
    ),
    "Why the ticket is not this unit's.": "退单理由：为何不属本单位。",
    "联系诉求人: the unit reached the requester (in time or not against the contact deadline).": (
        "联系诉求人：承办单位已联系诉求人（按联系时限判断是否及时）。"
    ),
    "办理进展: add a progress note.": "办理进展：添加一条进展说明。",
    "The progress note.": "进展说明。",
    "The unit it concerns, if any.": "涉及的单位（如有）。",
    "延期: a unit asks for more time (--unit, --until/--by, --reason); the centre --approve/--deny.": (
        "延期：承办单位申请延期（--unit、--until/--by、--reason）；中心审批 --approve/--deny。"
    ),
    "The lead unit asking for more time.": "申请延期的主办单位。",
    "The new finish deadline asked for (a date alone: the end of that day).": "申请的新办结时限（只写日期即当天结束）。",
    "How much longer, e.g. 5wd, from the current deadline.": "在当前时限上延长多久，如 5wd。",
    "Why (for a request), or the decision's reason.": "申请理由，或审批意见。",
    "The centre approves the waiting request.": "中心批准待审批的申请。",
    "The centre denies the waiting request.": "中心不批准待审批的申请。",
    "吹哨报到: the lead street summons departments, who must report in (jiesu accept) in time.": (
        "吹哨报到：主办街乡镇召集部门协办，部门须按时报到（jiesu accept）。"
    ),
    "Departments to summon (codes or names), comma-separated.": "召集的部门（代码或名称），逗号分隔。",
    "Report-in window (default: handling.whistle_within).": "报到时限（默认：handling.whistle_within）。",
    "办结: the lead unit reports the result (a co-handler finishes its own part).": (
        "办结：主办单位反馈办理结果（协办单位办结自己的部分）。"
    ),
    "resolved|partly|unresolved|explained.": "办理结果：resolved（已解决）|partly（部分解决）|unresolved（未解决）|explained（已解释）。",
    "What was done.": "办理情况。",
    "回访: call the requester back; a reached callback closes the ticket (or reopens it).": (
        "回访：回访诉求人；回访到后结案（或重办）。"
    ),
    "The requester answered.": "已回访到诉求人。",
    "Nobody answered; try again later.": "未接通，稍后再回访。",
    "Did the unit contact you? yes|no.": "承办单位是否联系了您？yes|no。",
    "Is it resolved? yes|no.": "是否已解决？yes|no。",
    "satisfied|basically|unsatisfied (满意/基本满意/不满意).": "满意/基本满意/不满意（satisfied|basically|unsatisfied）。",
    "With --resolved no: send it back (重办).": "与 --resolved no 同用：退回重办。",
    "申诉 / 不合理诉求: the lead unit asks to exclude a closed ticket; the centre --approve/--deny.": (
        "申诉 / 不合理诉求：主办单位申请已结工单不纳入考评；中心审批 --approve/--deny。"
    ),
    "The lead unit appealing.": "提出申诉的主办单位。",
    "Why (for an appeal), or the decision's reason.": "申诉理由，或审批意见。",
    "The centre approves: not assessed.": "中心批准：不纳入考评。",
    "The centre denies.": "中心不批准。",
    "合并: a repeat of an open ticket closes and points at the original.": "合并：重复诉求结案并指向原工单。",
    "The open ticket this one repeats.": "本工单所重复的在办工单。",
    "督办: flag the ticket for follow-up (shown in show and list).": "督办：标记工单需跟进督办（在 show 和 list 中显示）。",
    "What the centre wants followed up.": "督办事项。",
    # --- show, list, search -------------------------------------------------------------------------
    "A ticket and its whole timeline.": "查看一张工单及其完整办理过程。",
    "Ticket number, e.g. 2021021000001.": "工单编号，如 2021021000001。",
    "Show a confidential requester (needs --reason; recorded).": "显示保密诉求人（须 --reason；将被记录）。",
    "Why the confidential requester is revealed.": "查看保密诉求人的理由。",
    "Tickets, newest first, narrowed by filters; or the repeat callers' review list.": (
        "按条件列出工单（最新在前）；或列出反复来电的复核名单。"
    ),
    "pending|answered|referred|dispatched|accepted|reopened|finished|closed|merged.": (
        "状态：pending|answered|referred|dispatched|accepted|reopened|finished|closed|merged。"
    ),
    "consult|help|complain|report|suggest|praise.": "诉求类型：consult|help|complain|report|suggest|praise。",
    "Street or township (街乡镇): code or name.": "街乡镇：代码或名称。",
    "Community or village (社区村): code or name.": "社区村：代码或名称。",
    "Category; a first-level class includes its sub-categories.": "诉求分类；一级分类包含其下各级分类。",
    "Taken in at or after this time.": "受理时间不早于此时间。",
    "Taken in before this time.": "受理时间早于此时间。",
    "Tickets the unit (code or name) is handling (an active assignment).": "该单位（代码或名称）正在办理的工单。",
    "A step is past its deadline now.": "有环节已超过时限。",
    "A step falls due within this, e.g. 2h or 1d.": "有环节在此时长内到期，如 2h 或 1d。",
    "Only supervised (督办) tickets.": "只列督办工单。",
    "Phones above the rules file's intake.repeat_callers_threshold instead.": (
        "改为列出来电次数达到规则文件 intake.repeat_callers_threshold 的电话。"
    ),
    "At most this many tickets.": "最多列出的工单数。",
    "Do not mask phones (confidential ones stay hidden).": "不隐去电话中间位（保密诉求人仍隐藏）。",
    "Find tickets by text (works for Chinese), newest first.": "按文字查找工单（支持中文），最新在前。",
    "Word or phrase to find in title, content and address.": "在标题、内容和地址中查找的词语。",
    # --- report, hotspots ---------------------------------------------------------------------------
    "考评: the month's ranking per class, intake overview, volumes by category and street, overdue.": (
        "考评：各类单位的月度排名、受理概况、按分类和街乡镇的诉求量、超时情况。"
    ),
    "The assessment month, YYYY-MM.": "考评月份，YYYY-MM。",
    "First day of a custom period.": "自定义期间的第一天。",
    "Last day of a custom period (included).": "自定义期间的最后一天（含）。",
    "Only one table: unit|class|district|street|category|kind|channel.": (
        "只输出一张表：unit|class|district|street|category|kind|channel。"
    ),
    "Only units of this class in the ranking.": "排名中只列此类单位。",
    "Add the categories that grew most over three months.": "加上近三期增长最多的分类（每月一题候选）。",
    "Write to this file (required for xlsx).": "写入此文件（xlsx 必须指定）。",
    "高频事件、高频点位: categories and places well above their own recent baseline, newest first.": (
        "高频事件、高频点位：明显高于自身近期基线的分类和地点，最新在前。"
    ),
    "The window (default: assessment.hotspot_days, 7).": "统计窗口天数（默认：assessment.hotspot_days，7）。",
    "At least this many tickets (default: 5).": "至少这么多件（默认：5）。",
    # --- units, rules -------------------------------------------------------------------------------
    "The handling units of the rules file, by class.": "规则文件中的承办单位，按类别列出。",
    "street|community|district_dept|city_dept|enterprise.": (
        "单位类别：street（街乡镇）|community（社区村）|district_dept（区级部门）|city_dept（市级部门）|enterprise（公共服务企业）。"
    ),
    "Check the rules file and see how it decides.": "检查规则文件，查看它如何分类派单。",
    "Report every problem in a rules file, with its location; exit 1 if there is any.\n\n"
    "Also warns (stderr, exit 0) when a deadline counted from now (--now) reaches a year whose\n"
    "make-up working days (调休) are not published yet.": (
        "列出规则文件的每个问题及其位置；有问题时退出码为 1。\n\n"
        "从现在（--now）起算的时限落入尚未公布调休安排的年份时，也会提示（stderr，退出码 0）。"
    ),
    "Rules file (default: --rules, ./jiesu.toml, bundled).": "规则文件（默认：--rules、./jiesu.toml、内置规则）。",
    "Which rule wins for a request, and why; the runners-up; the deadlines it would set from now.": (
        "一件诉求会命中哪条规则、为什么；其他命中的规则；从现在起算的时限。"
    ),
    "The request's text.": "诉求内容。",
    "Its title.": "标题。",
    "District.": "所属区。",
    "Street (code, name or part of it).": "街乡镇（代码、名称或名称的一部分）。",
    "The request's category, if already known.": "诉求分类（如已知）。",
    "Routing accuracy: per rule, tickets it dispatched and how many the lead unit returned (退单).": (
        "派单准确率：每条规则派出的工单数及被主办单位退单的数量。"
    ),
    "Dispatched at or after this time.": "派单时间不早于此时间。",
    "Dispatched before this time.": "派单时间早于此时间。",
    # --- escalate -----------------------------------------------------------------------------------
    "超时预警、分级协调: warn before deadlines, mark overdue ones, escalate unfinished tickets (run it from cron).": (
        "超时预警、分级协调：到期前预警，标记超时，逐级升级未办结工单（由 cron 定时运行）。"
    ),
    "Show what would be done; write nothing.": "只显示将做的处理，不写入。",
    "table for people; json, or jsonl (one action a line).": "table（表格）；json，或 jsonl（每行一条处理）。",
    "Exit 3 when any deadline is overdue and still open.": "有超时未办的时限时退出码为 3。",
    # --- features merged from other branches (corrections, learning, Open311, guidance, files,
    # publications, topics, replay) --------------------------------------------------------------
    "Record a step that changes a published month (更正), and why; the month is marked corrected.": (
        "记录一个改动已公示月份的环节（更正）及理由；该月被标为已更正。"
    ),
    "(Re)apply the rules to pending tickets (派单), dispatch by hand with --unit, or accept the\n"
    "learned suggestion with --suggested.": "按规则（重新）派单待派工单，用 --unit 人工派单，或用 --suggested 采用学习得到的建议。",
    "With --unit: the category a person chose (it trains `rules learn`).": "与 --unit 同用：人工选定的分类（用于训练 `rules learn`）。",
    "Accept the learned suggestion shown for the ticket (its unit and category).": "采用为该工单显示的学习建议（单位和分类）。",
    "Tickets as Open311 GeoReport v2 service requests, oldest first; no requester leaves the case file.": (
        "按 Open311 GeoReport v2 服务请求导出工单，最早的在前；诉求人信息不离开案卷。"
    ),
    "open311-json (an array of requests) or open311-xml (<service_requests>).": "open311-json（请求数组）或 open311-xml（<service_requests>）。",
    "Taken in on or after this day (YYYY-MM-DD).": "受理日期不早于此日（YYYY-MM-DD）。",
    "Taken in on or before this day (included).": "受理日期不晚于此日（含）。",
    "Write to this file instead of stdout (UTF-8).": "写入此文件而不是标准输出（UTF-8）。",
    "引导运用市场机制和社会力量: close an open ticket by guiding the requester (counted as guided).": (
        "引导运用市场机制和社会力量：引导诉求人后结束在办工单（计为引导）。"
    ),
    "market|social: guided to a market mechanism or a social force (required).": "market|social：引导至市场机制或社会力量（必填）。",
    "Whom the requester was guided to, e.g. the property company (required).": "把诉求人引导给了谁，如物业公司（必填）。",
    "The lead unit guiding (default: the centre).": "进行引导的主办单位（默认：中心）。",
    "Write csv or jsonl to this file (a CSV file starts with a BOM).": "把 csv 或 jsonl 写入此文件（CSV 文件带 BOM）。",
    "CSV text encoding: utf-8|utf-8-sig|gb18030 (default: utf-8-sig with a BOM for --out files, so Excel and WPS read Chinese; utf-8 on stdout).": (
        "CSV 文本编码：utf-8|utf-8-sig|gb18030（默认：--out 文件用带 BOM 的 utf-8-sig，Excel 和 WPS 可正确显示中文；标准输出用 utf-8）。"
    ),
    "phone|web|app|wechat|email|walk-in|other, or grid|patrol for a problem the office's own grid workers or patrols found (主动发现).": (
        "渠道：phone|web|app|wechat|email|walk-in|other，或 grid|patrol 表示本单位网格员或巡查发现的问题（主动发现）。"
    ),
    "Guided to a market mechanism or social force: whom to (with --guide-to).": "引导至市场机制或社会力量：引导给谁（与 --guide-to 同用）。",
    "market|social (引导市场机制/社会力量): the kind of guidance of --guide.": "market|social（引导市场机制/社会力量）：--guide 的引导类型。",
    "Take in every row of a CSV (UTF-8 or GB18030), JSON Lines, XLSX or Open311 GeoReport v2 (.json array or .xml) file; - reads standard input.": (
        "批量受理 CSV（UTF-8 或 GB18030）、JSON Lines、XLSX 或 Open311 GeoReport v2（.json 数组或 .xml）文件的每一行；- 表示读标准输入。"
    ),
    "Let --rejects replace a file that is already there.": "允许 --rejects 替换已存在的文件。",
    "pending|answered|referred|guided|dispatched|accepted|reopened|finished|closed|merged.": (
        "状态：pending|answered|referred|guided|dispatched|accepted|reopened|finished|closed|merged。"
    ),
    "phone|web|app|wechat|email|walk-in|other|grid|patrol.": "渠道：phone|web|app|wechat|email|walk-in|other|grid|patrol。",
    "Write to this file (required for xlsx; a CSV file starts with a BOM for Excel).": "写入此文件（xlsx 必须指定；CSV 文件带 BOM 供 Excel 使用）。",
    "考评: the month's ranking per class, intake overview, volumes by category and street, overdue,\n"
    "proactive discovery per street.\n\nA published month is shown as published (with its date and hash); --live recomputes it.\n"
    "Subcommands publish, verify and list published months.": (
        "考评：各类单位的月度排名、受理概况、按分类和街乡镇的诉求量、超时情况、各街乡镇主动发现。\n\n"
        "已公示的月份按公示内容显示（含日期和哈希）；--live 重新计算。\n子命令用于公示、核验和列出已公示的月份。"
    ),
    "Only one table: unit|class|district|street|category|kind|channel|proactive.": (
        "只输出一张表：unit|class|district|street|category|kind|channel|proactive。"
    ),
    "Add the named problems of the rules file (\\[\\[topics]], 每月一题) and the categories that grew most over three months.": (
        "加上规则文件中的每月一题（\\[\\[topics]]）和近三期增长最多的分类。"
    ),
    "Add the gazetteer's communities without a request in the period, and for how many periods in a row (零诉求社区).": (
        "加上本期没有诉求的社区及其连续期数（零诉求社区）。"
    ),
    "Only the intake of the last 12 periods, drawn in the terminal (or as JSON).": "只显示近 12 期的受理量，在终端中绘制（或输出 JSON）。",
    "Write to this file (required for xlsx; a CSV file starts with a BOM).": "写入此文件（xlsx 必须指定；CSV 文件带 BOM）。",
    "Recompute a published month from the case file instead of showing it.": "按案卷重新计算已公示的月份，而不是显示公示内容。",
    "每月一题: each named problem (\\[\\[topics]]) over its last periods, and candidates for next month.": (
        "每月一题：每个问题（\\[\\[topics]]）近几期的件数，以及下月的候选。"
    ),
    "The last period shown, YYYY-MM (default: the current one).": "显示的最后一期，YYYY-MM（默认：本期）。",
    "How many periods to show (2 to 60).": "显示的期数（2 到 60）。",
    "Published months in chain order; --format json carries each one's content and hashes to recheck.": (
        "按链顺序列出已公示的月份；--format json 带有每期的内容和哈希，可供复核。"
    ),
    "Only this month's revisions (YYYY-MM).": "只列此月的各版本（YYYY-MM）。",
    "考评公示: freeze the month's figures as computed now, chained by hash to every publication before.": (
        "考评公示：按现在的计算固定该月数字，并以哈希与此前每次公示相链。"
    ),
    "The month to publish, YYYY-MM (it must be over).": "要公示的月份，YYYY-MM（须已结束）。",
    "A note published with the figures.": "随数字一起公示的说明。",
    "Publish the next revision of a published month (after corrections).": "公示已公示月份的下一版（更正之后）。",
    "Recompute the hash chain and every published month from the case file: exit 0 when all hold, 4 when not.": (
        "按案卷重新计算哈希链和每个已公示的月份：全部一致时退出码为 0，否则为 4。"
    ),
    "Check only this published month's figures (YYYY-MM).": "只核验此已公示月份的数字（YYYY-MM）。",
    "Routing accuracy: per rule, tickets it dispatched and how many the lead unit returned (退单);\n"
    "then the rules and the learned model side by side against the unit that finally handled each\n"
    "ticket taken in during the period.": (
        "派单准确率：每条规则派出的工单数及被主办单位退单的数量；\n"
        "再将规则与学习模型并列，对照本期受理的每件工单最终由哪个单位办理。"
    ),
    "Learn dispatch suggestions from the case file's history; print cross-validated accuracy per category.\n\n"
    "Trains on the tickets whose category a person chose (intake --category, a file's category\n"
    "column, dispatch --unit … --category), never on a category a rule or the model set; units come\n"
    "from the lead unit that finally handled each closed ticket. The model is stored in the case file.": (
        "从案卷的历史中学习派单建议；输出每个分类的交叉验证准确率。\n\n"
        "只用人工选定分类的工单训练（intake --category、文件的分类列、dispatch --unit … --category），"
        "不用规则或模型设定的分类；单位取每件已结工单最终办理的主办单位。模型保存在案卷中。"
    ),
    "Tickets a category needs; one with fewer is learned as its first-level class.": "每个分类所需的工单数；不足的按其一级分类学习。",
    "Cross-validation folds (fewer when a category has fewer tickets).": "交叉验证的折数（分类工单较少时相应减少）。",
    "What if: re-decide every ticket of a period under another rules file; change nothing.\n\n"
    "Compares with what happened: tickets routed differently (with examples), how many of those now\n"
    "go to the unit that finally handled them after returns, the estimated mis-dispatch rate of both,\n"
    "load per unit, deadlines tightened or loosened, and the proposed rules that never fire.": (
        "假如：用另一个规则文件重新决定一段期间内的每件工单；不做任何改动。\n\n"
        "与实际情况对比：派单不同的工单（附例子）、其中有多少现在派给了退单后最终办理的单位、"
        "两者估计的错派率、各单位的工作量、收紧或放宽的时限，以及从未生效的新规则。"
    ),
    "First day of the period, e.g. 2026-10-01.": "期间的第一天，如 2026-10-01。",
    "Last day of the period (included), e.g. 2026-10-31.": "期间的最后一天（含），如 2026-10-31。",
    "The proposed rules file to try.": "要试用的新规则文件。",
}
