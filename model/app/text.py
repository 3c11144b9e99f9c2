"""Every word the planners' app shows, in Chinese (first) and English: one table, one lookup.

Measures and registry parameters carry their own labels (model/simulation/measures.py, the registry); this table
holds the rest. A test checks that every key has both languages and that every key the app asks for
exists, so a switch of language never leaves a label behind.
"""

from __future__ import annotations

LANGUAGES = ("zh", "en")

TEXT: dict[str, dict[str, str]] = {
    # -- page --------------------------------------------------------------------------------------
    "app.title": {"zh": "{county}城市更新政策模拟", "en": "{county}: urban renewal what-if simulator"},
    "language.name": {"zh": "中文", "en": "English"},
    "header.setting": {
        "zh": "**当前设置:** {preset} · 政策起点 **{month}** · 已调整 {changes} 项。政策起点之前的历史不变。",
        "en": "**Setting:** {preset} · policy start **{month}** · {changes} value(s) changed. "
              "History before the policy start is left as it was."},
    "header.what_to_do": {
        "zh": "在左侧选一个预设问题,或移动滑块改一项政策;下面的数字即时显示这个设置与基准相比的结果。",
        "en": "Pick a preset question on the left, or move a slider to change a policy; the numbers below show "
              "what the setting gives against the baseline."},
    "header.question": {"zh": "问题:{question}", "en": "Question: {question}"},
    "header.answers": {"zh": "前 {n} 个数字回答这个问题,其余为每次都显示的概览。",
                       "en": "The first {n} numbers answer this question; the others are the overview shown for "
                             "every setting."},
    "header.policy_start": {"zh": "政策起点 {month}", "en": "policy start {month}"},
    "header.run": {
        "zh": "模拟规模:全区的 {scale}(结果已换算为全区数量)· {n} 次重复模拟 · 计算用时 {seconds} 秒(相同设置直接取缓存)· "
              "对比基准:{reference},随机数和参数抽样相同",
        "en": "Simulated: {scale} of the county (results in whole-county numbers) · {n} replicates · computed in "
              "{seconds} s (unchanged settings come from the cache) · compared with: {reference}, with the same "
              "seeds and parameter draws"},
    "message.running": {"zh": "正在模拟……", "en": "Simulating…"},
    "sharpen.running": {"zh": "后台正在增加重复模拟,使结果更准确:已完成 {ready}/{target} 次(页面显示 {shown} 次的结果,"
                                "到 {next} 次时自动更新)。改变设置即停止。",
                        "en": "More replicates are running in the background to sharpen this answer: {ready} of {target} "
                              "done (the page shows {shown}; it redraws at {next}). Changing a setting stops them."},
    "sharpen.done": {"zh": "已在后台增加到 {shown} 次重复模拟,区间与变化据此计算。",
                     "en": "Sharpened in the background to {shown} replicates; the bands and changes use them all."},
    "message.bad_link": {"zh": "链接中有一项设置无法使用,已略去,其余设置照常还原(该项用默认值)。原因如下:",
                         "en": "One of the link's settings cannot be used and was left out; the rest are restored "
                               "(this one takes its default). The reason:"},
    "message.bad_upload": {"zh": "上传的情景文件无法使用,设置未改变。原因如下:",
                           "en": "The uploaded scenario cannot be used; the settings are unchanged. The reason:"},
    "message.uploaded": {"zh": "已载入情景文件:", "en": "Loaded the scenario file:"},
    "message.kept_full": {"zh": "最多保留 {n} 个设置用于比较,请先在“比较”页删除一个。",
                          "en": "At most {n} settings can be kept for comparison; remove one in the Compare tab first."},
    "check.identical_before": {"zh": "✓ 政策起点 {month} 之前,本设置的所有序列与基准完全一致。",
                               "en": "✓ Before the policy start {month}, every series equals the baseline's."},
    "check.differs_by_world": {
        "zh": "政策起点 {month} 之前的序列与基准不同:本设置改变了外部条件。若只看政策效果,请选择“同样外部条件下的基线”。",
        "en": "Before the policy start {month} the series differ from the baseline's: this setting changes outside "
              "conditions. To see the levers' effect alone, compare with the baseline in this setting's world."},
    "check.differs_before": {"zh": "注意:政策起点 {month} 之前的序列与基准不一致。",
                             "en": "Note: before the policy start {month} the series differ from the baseline's."},
    "list.separator": {"zh": "、", "en": ", "},
    "yes": {"zh": "是", "en": "yes"},
    "no": {"zh": "否", "en": "no"},
    # -- sidebar -----------------------------------------------------------------------------------
    "sidebar.language": {"zh": "语言", "en": "Language"},
    "sidebar.county": {"zh": "地区", "en": "County"},
    "sidebar.county_help": {"zh": "选择要模拟的地区(counties/ 下的地区文件夹);换地区会从该地区的基线重新开始。",
                            "en": "The county to simulate (a folder under counties/); another county starts afresh from "
                                  "its baseline."},
    "sidebar.preset": {"zh": "情景预设", "en": "Scenario preset"},
    "sidebar.preset_help": {"zh": "从项目自带的情景出发;下面的调整都在它的基础上进行。换预设会清除调整。",
                            "en": "Start from a shipped scenario; the changes below apply on top of it. "
                                  "Changing the preset clears the changes."},
    "sidebar.policy_start": {"zh": "政策起点(从该月起调整生效)", "en": "Policy start (changes apply from this month)"},
    "sidebar.policy_start_help": {"zh": "政策杠杆从这个月开始改变;之前的历史保持不变。外部条件(如煤炭冲击)影响整个模拟期。",
                                  "en": "Levers change from this month on; history before it stays as it was. "
                                        "Outside conditions (such as a coal shock) hold for the whole run."},
    "sidebar.compare": {"zh": "对比基准", "en": "Compare with"},
    "sidebar.compare_help": {
        "zh": "同样外部条件下的基线:基线政策加上本设置的外部条件,差别只来自政策杠杆,政策起点之前完全一致。"
              "基线本身:差别还包括外部条件(如煤炭冲击)的影响。",
        "en": "The baseline in this setting's world: the baseline's levers under this setting's outside conditions, "
              "so differences come from the levers alone and history is identical before the policy start. "
              "The baseline itself: differences include the outside conditions (such as a coal shock)."},
    "compare_with.same_world": {"zh": "同样外部条件下的基线(只看政策效果)", "en": "the baseline in this world (levers only)"},
    "compare_with.baseline_world": {"zh": "基线本身(含外部条件的变化)", "en": "the baseline itself (outside conditions too)"},
    "sidebar.other_settings": {"zh": "文件或链接中的其他设置:", "en": "Other settings from the file or link:"},
    "sidebar.upload": {"zh": "上传情景文件(YAML)", "en": "Upload a scenario (YAML)"},
    "sidebar.upload_help": {"zh": "只能在项目自带情景的基础上调整(extends: baseline 等),不能引用其他文件。",
                            "en": "It may only extend a shipped scenario (extends: baseline, ...) and never refers "
                                  "to another file."},
    "sidebar.keep": {"zh": "保留此设置以便比较", "en": "Keep this setting for comparison"},
    "sidebar.keep_help": {"zh": "最多保留 {n} 个设置,在“比较”页并排查看。", "en": "Keep up to {n} settings side by side in the Compare tab."},
    "group.renovation": {"zh": "老旧小区改造", "en": "Compound renovation"},
    "group.stalls": {"zh": "便民摊位", "en": "Free stalls"},
    "group.places": {"zh": "街区、人才住房与矛盾调处", "en": "Street blocks, talent housing, disputes"},
    "group.world": {"zh": "外部条件(不确定因素)", "en": "Outside conditions (uncertainties)"},
    "group.run": {"zh": "模拟设置(规模、重复次数、随机种子)", "en": "Run settings (scale, replicates, seed)"},
    "control.label": {"zh": "{name}({unit})", "en": "{name} ({unit})"},
    "control.help": {
        "zh": "依据:{status} · 类别:{role} · 允许范围 {low}–{high} · 参数键 `{key}`。超出范围的值不会被接受。",
        "en": "Evidence: {status} · kind: {role} · allowed range {low}–{high} · registry key `{key}`. "
              "Values outside the range are refused."},
    "label.government_share": {"zh": "政府承担的改造费用比例", "en": "Government share of renovation cost"},
    "shown.government_percent": {"zh": "%", "en": "%"},
    "shown.percent": {"zh": "%", "en": "%"},
    "shown.million_yuan": {"zh": "百万元/年", "en": "million yuan a year"},
    "shown.month": {"zh": "年-月", "en": "year-month"},
    "run.seed": {"zh": "随机种子", "en": "Seed"},
    "run.seed_help": {"zh": "相同的设置和种子总是给出相同的结果。", "en": "The same settings and seed always give the same results."},
    "run.scale": {"zh": "模拟规模(全区的比例)", "en": "Scale (fraction of the county simulated)"},
    "run.scale_help": {"zh": "规模越大越精细,也越慢;结果总是换算为全区数量。",
                       "en": "Larger is finer and slower; results are always in whole-county numbers."},
    "run.replicates": {"zh": "重复模拟次数", "en": "Replicates"},
    "run.replicates_help": {"zh": "每次重复抽取不同的随机数和参数值;次数越多,区间越可靠,计算越慢。",
                            "en": "Each replicate draws its own seed and parameter values; more replicates give "
                                  "steadier bands and take longer."},
    "status.documented": {"zh": "文献记载", "en": "documented"},
    "status.calibrated": {"zh": "校准估计", "en": "calibrated"},
    "status.assumed": {"zh": "模型假设", "en": "assumed"},
    "role.lever": {"zh": "政策杠杆", "en": "policy lever"},
    "role.uncertainty": {"zh": "外部不确定因素", "en": "uncertainty"},
    "role.fact": {"zh": "事实", "en": "fact"},
    # -- presets -----------------------------------------------------------------------------------
    "preset.baseline": {"zh": "基线(现行政策)", "en": "Baseline (today's policies)"},
    "preset.campaign_residents_pay_30": {"zh": "2023年整治时居民自筹30%(反事实)", "en": "The 2023 campaign at a 30% share (counterfactual)"},
    "preset.national_scheme_only": {"zh": "仅靠国家老旧小区改造计划(2023年起)", "en": "National scheme only (from 2023)"},
    "preset.renovation_push": {"zh": "加快改造:每年60个小区、3亿元、居民自筹10%", "en": "Renovation push: 60 a year, 300 m yuan, 10% residents"},
    "preset.residents_pay_30": {"zh": "居民自筹提高到30%", "en": "Residents pay 30%"},
    "preset.second_coal_shock_2027": {"zh": "2027年第二次煤炭冲击", "en": "Second coal shock in 2027"},
    "preset.stalls_double_lenient": {"zh": "摊位翻倍、禁入分数线降至50分", "en": "Twice the stalls, bans only below 50"},
    "preset.talent_housing_push": {"zh": "每年1000套人才住房", "en": "1,000 talent homes a year"},
    # -- units -------------------------------------------------------------------------------------
    "unit.compounds per year": {"zh": "个/年", "en": "compounds a year"},
    "unit.disputes per year": {"zh": "件/年", "en": "disputes a year"},
    "unit.households per year": {"zh": "户/年", "en": "households a year"},
    "unit.month of year": {"zh": "月份", "en": "month of the year"},
    "unit.months": {"zh": "月", "en": "months"},
    "unit.points": {"zh": "分", "en": "points"},
    "unit.year": {"zh": "年", "en": "year"},
    "unit.stalls": {"zh": "个", "en": "stalls"},
    "unit.compounds": {"zh": "个小区", "en": "compounds"},
    "unit.disputes": {"zh": "件", "en": "disputes"},
    "unit.entities": {"zh": "户", "en": "entities"},
    "unit.households": {"zh": "户", "en": "households"},
    "unit.persons": {"zh": "人", "en": "persons"},
    "unit.vendors": {"zh": "人", "en": "vendors"},
    "unit.yuan": {"zh": "元", "en": "yuan"},
    "unit.yuan per year": {"zh": "元/年", "en": "yuan a year"},
    "unit.fraction": {"zh": "比例", "en": "share"},
    "axis.unit": {"zh": "{magnitude}{unit}", "en": "{magnitude} {unit}"},
    "axis.percent": {"zh": "百分比", "en": "per cent"},
    # -- headline outcomes -------------------------------------------------------------------------
    "metric.help": {
        "zh": "中位数;90%区间 {low} 至 {high}。与基准相比的变化(逐次配对):{change_low} 至 {change_high}。",
        "en": "Median; 90% band {low} to {high}. Change against the baseline (paired by replicate): "
              "{change_low} to {change_high}."},
    "legend.band": {
        "zh": "实线为中位数,阴影为 5%–95% 区间:来自 {n} 次重复模拟,每次既抽取随机数,也在区间内抽取参数值"
              "(校准参数与影响历史的假设参数取校准后验的联合抽样,其他标记为可抽样的假设参数取其合理范围;其余假设参数固定在登记值),"
              "因此区间同时包含参数不确定性和随机波动。"
              "重复次数少时区间偏窄:{n} 次重复时,再模拟一次约有 {coverage} 的可能落在区间内(而非 90%)。虚线为基准。",
        "en": "Lines are medians, shaded bands 5-95% of {n} replicates, each drawing both a seed and parameter "
              "values (the calibrated parameters and the assumed ones that shape the history from the posterior's joint "
              "draws, the other assumed ones marked for drawing over their plausible ranges, the rest at their values): "
              "the bands include parameter uncertainty as well as chance. Few replicates make a narrow band: with {n}, one "
              "more replicate would fall inside it with a chance of about {coverage}, not 90%. Dashed lines are the "
              "baseline."},
    "legend.short": {"zh": "阴影:5%–95% 区间({n} 次重复模拟,含参数不确定性与随机波动);虚线:基准。",
                     "en": "Shaded: 5-95% of {n} replicates (parameter uncertainty and chance); dashed: the baseline."},
    "legend.bars": {"zh": "柱高为中位数,竖线为 5%–95% 区间({n} 次重复模拟,含参数不确定性与随机波动);深色:本设置,浅色:基准。",
                    "en": "Bars: medians; whiskers: 5-95% of {n} replicates (parameter uncertainty and chance); dark: this "
                          "setting, light: the baseline."},
    "legend.change": {"zh": "箭头数字为与基准相比的变化(各次重复配对后的中位数);配对变化的 5%–95% 区间包含零时,"
                            "写作“在随机波动内”,不加箭头和颜色:这些重复模拟连变化的方向都不一致。",
                      "en": "The numbers with arrows are changes against the baseline (median of paired replicates); a "
                            "change whose paired 5-95% band contains zero reads \"within noise\", without arrow or "
                            "colour: the replicates do not agree even on its direction."},
    "metric.within_noise": {"zh": "{change}(在随机波动内)", "en": "{change} (within noise)"},
    "metric.no_change": {"zh": "无变化", "en": "no change"},
    "mark.assumed": {"zh": "⚠ 主要取决于模型假设(其差异的 {share} 来自假设,括号内为 90% 区间):{names}",
                     "en": "⚠ Rests mainly on assumptions ({share} of its spread, 90% interval in brackets): {names}"},
    "mark.help": {"zh": "根据预设“{preset}”{n} 次重复模拟中参数抽样与结果的秩相关估计;只有 90% 区间整体高于一半时才标出。",
                  "en": "Estimated from the rank correlation of parameter draws and outcome over {n} replicates "
                        "of the preset «{preset}»; marked only when the whole 90% interval lies above one half."},
    "mark.screening": {
        "zh": "标有 ⚠ 的结果主要取决于假设参数(共 {count} 项):由预设“{preset}”的 {n} 次重复模拟(每次抽取随机数和参数值)"
              "估计,每个预设、政策起始月、规模只计算一次,适用于该预设下的所有设置。",
        "en": "Outcomes marked ⚠ rest mainly on assumed parameters ({count} of them): estimated from {n} replicates of "
              "the preset «{preset}» (each drawing a seed and parameter values), computed once per preset, policy "
              "start and scale, and shown for every setting of that preset."},
    "message.screening": {"zh": "正在估算哪些结果主要取决于假设({n} 次重复模拟,每个预设只算一次)……",
                          "en": "Estimating which outcomes rest mainly on assumptions ({n} replicates, once per preset) ..."},
    # -- tabs and charts ---------------------------------------------------------------------------
    "view.label": {"zh": "查看", "en": "View"},
    "tab.people": {"zh": "人口与迁移", "en": "Population and migration"},
    "tab.renovation": {"zh": "小区改造", "en": "Renovation"},
    "tab.spending": {"zh": "资金", "en": "Spending"},
    "tab.businesses": {"zh": "市场主体", "en": "Businesses"},
    "tab.stalls": {"zh": "便民摊位", "en": "Stalls"},
    "tab.disputes": {"zh": "矛盾纠纷", "en": "Disputes"},
    "tab.compounds": {"zh": "小区一览", "en": "Compounds"},
    "tab.compare": {"zh": "比较", "en": "Compare"},
    "tab.sources": {"zh": "参数与来源", "en": "Sources"},
    "tab.takeaway": {"zh": "下载与分享", "en": "Take away"},
    "tab.limitations": {"zh": "局限性", "en": "Limitations"},
    "chart.population": {"zh": "常住人口", "en": "Resident population"},
    "chart.migration": {"zh": "出生、死亡、迁出、回流与新迁入(每年)", "en": "Births, deaths, leaving, returning, newcomers (per year)"},
    "chart.pipeline": {"zh": "改造进度:列入清单、自筹中、资金到位、施工中、已完成(小区数)",
                       "en": "Renovation pipeline: listed, collecting, funded, under works, renovated (compounds)"},
    "chart.covered": {"zh": "改造惠及户数(累计)", "en": "Households covered by renovations (cumulative)"},
    "chart.left_behind": {"zh": "谁被落下:各收入组居住在有未解决问题小区的家庭比例(期末)",
                          "en": "Who is left behind: households living with unresolved problems, by income fifth (end)"},
    "chart.waited": {"zh": "各收入组已列入清单家庭的已等待月数(期末)",
                     "en": "Months waited so far by listed households, by income fifth (end)"},
    "chart.spending": {"zh": "政府改造补贴与居民自筹(每年)", "en": "Government subsidy and residents' contributions (per year)"},
    "chart.budget": {"zh": "年度改造预算", "en": "This year's renovation budget"},
    "chart.sectors": {"zh": "各行业市场主体", "en": "Businesses by sector"},
    "chart.kinds": {"zh": "企业与个体工商户", "en": "Enterprises and individual businesses"},
    "chart.occupancy": {"zh": "摊位使用率", "en": "Stall occupancy"},
    "chart.bans": {"zh": "摊位禁入(每年新增)", "en": "Stall bans issued (per year)"},
    "chart.banned": {"zh": "禁入中的摊主", "en": "Vendors under a ban"},
    "chart.disputes": {"zh": "矛盾纠纷受理与化解(每年)", "en": "Disputes filed and resolved (per year)"},
    "chart.backlog": {"zh": "未化解矛盾纠纷", "en": "Disputes unresolved"},
    "chart.policy_start": {"zh": "政策起点", "en": "policy start"},
    "binding.title": {"zh": "每年是什么限制了改造进度", "en": "What held renovation back, year by year"},
    "binding.note": {
        "zh": "每年多数重复模拟中的限制因素(括号内为出现该限制的重复模拟比例)。放宽不起限制作用的因素不会改变结果:"
              "例如限制因素是居民自筹未到位时,增加预算不会多改造小区;无待改造小区时,增加计划名额也不会。",
        "en": "The constraint in most replicates of each year (in brackets, the share of replicates in which it held). "
              "Loosening what does not bind changes nothing: while residents' money binds, a larger budget renovates no "
              "more compounds; with nothing left to do, neither do more places in the plan."},
    "binding.year": {"zh": "年份", "en": "year"},
    "binding.budget": {"zh": "预算不足", "en": "the budget"},
    "binding.plan": {"zh": "计划名额已满", "en": "the plan's places"},
    "binding.residents": {"zh": "居民自筹未到位", "en": "residents' money"},
    "binding.nothing": {"zh": "无待改造小区", "en": "nothing left to do"},
    "binding.none": {"zh": "当年无改造计划", "en": "no programme that year"},
    "quintile": {"zh": "收入第{q}组", "en": "income fifth {q}"},
    "series.setting": {"zh": "本设置", "en": "this setting"},
    "series.baseline": {"zh": "基准", "en": "baseline"},
    "tooltip.measure": {"zh": "指标", "en": "measure"},
    "tooltip.series": {"zh": "情景", "en": "setting"},
    "tooltip.median": {"zh": "中位数", "en": "median"},
    "tooltip.low": {"zh": "5%分位", "en": "5%"},
    "tooltip.high": {"zh": "95%分位", "en": "95%"},
    "download.chart": {"zh": "下载 {fmt}", "en": "Download {fmt}"},
    # -- compounds ---------------------------------------------------------------------------------
    "compounds.title": {"zh": "纳入改造范围的小区:按状态和紧迫程度排列", "en": "Compounds in the programme, by status and urgency"},
    "compounds.note": {
        "zh": "每个方块代表一个模拟小区(第1次重复模拟,共 {n} 个,规模 {scale});颜色表示状态,深浅表示紧迫程度。"
              "资料中没有地理位置,因此方块按状态和紧迫程度排列,不代表地图位置。",
        "en": "Each square is one simulated compound (replicate 1, {n} in all, scale {scale}); colour is its status, "
              "depth its urgency. The sources hold no geography, so squares are arranged by status and urgency, "
              "not by place."},
    "compounds.status": {"zh": "状态", "en": "status"},
    "compounds.urgency": {"zh": "紧迫程度", "en": "urgency"},
    "compounds.kind": {"zh": "类型", "en": "kind"},
    "compounds.id": {"zh": "编号", "en": "number"},
    "compounds.households": {"zh": "现住户数(模拟)", "en": "households now (simulated)"},
    "compounds.listed": {"zh": "列入清单", "en": "listed"},
    "compounds.renovated": {"zh": "完成改造", "en": "renovated"},
    "compounds.count": {"zh": "小区数(模拟)", "en": "compounds (simulated)"},
    "status_compound.untouched": {"zh": "尚未列入", "en": "not listed"},
    "status_compound.listed": {"zh": "已列入清单", "en": "listed"},
    "status_compound.collecting": {"zh": "居民自筹中", "en": "collecting"},
    "status_compound.funded": {"zh": "资金到位待施工", "en": "funded"},
    "status_compound.under_works": {"zh": "施工中", "en": "under works"},
    "status_compound.renovated": {"zh": "已完成改造", "en": "renovated"},
    "kind.old": {"zh": "老旧小区(国家计划)", "en": "old (national scheme)"},
    "kind.problem": {"zh": "问题小区(地方清单)", "en": "problem (local list)"},
    "kind.estate": {"zh": "较新小区", "en": "newer estate"},
    "kind.outside": {"zh": "小区以外", "en": "outside compounds"},
    # -- compare -----------------------------------------------------------------------------------
    "compare.intro": {"zh": "用侧栏的“保留此设置”按钮最多保留 {n} 个设置;每个数字后括号内为与基准相比的变化。",
                      "en": "Keep up to {n} settings with the sidebar's Keep button; each number is followed by its "
                            "change against the baseline."},
    "compare.current": {"zh": "当前", "en": "Current"},
    "compare.kept": {"zh": "保留 {i}", "en": "Kept {i}"},
    "compare.drop": {"zh": "删除保留的设置 {i}", "en": "Remove kept setting {i}"},
    "compare.paired_title": {"zh": "当前设置与保留的设置逐次配对比较", "en": "The current setting against each kept one, paired"},
    "compare.better_draws": {"zh": "{a} 优于 {b} 的抽样占 {share}", "en": "{a} better than {b} in {share} of draws"},
    "compare.better_seeds": {"zh": "{a} 优于 {b} 的重复占 {share}", "en": "{a} better than {b} in {share} of replicates"},
    "compare.no_direction": {"zh": "无优劣方向(是选择,不是得分)", "en": "no better direction (a choice, not a score)"},
    "compare.band": {"zh": "5%–95%:{low} 至 {high}", "en": "5-95%: {low} to {high}"},
    "compare.no_difference": {"zh": "{a} 与 {b} 在每次配对重复中都相同", "en": " {a} and {b} are the same in every paired replicate"},
    "compare.difference": {"zh": "{sure};差值({a} − {b})为 {difference}({band})", "en": " {sure}; {a} − {b} = {difference} ({band})"},
    "compare.within_noise": {"zh":"(在随机波动内)", "en": " (within noise)"},
    "compare.paired_note": {"zh": "各设置使用相同的 {n} 个随机种子和参数抽样,第 i 次重复互为配对;“优于”按该结果的优劣方向计,相同算一半;差值为逐次差值的中位数及其 5%–95% 区间(与 `renewal compare` 相同)。",
                            "en": "The settings share their {n} seeds and parameter draws, so replicate i of each is a paired trial; "
                                  "'better' follows the outcome's better direction, a tie counting half; the difference is the median of "
                                  "the replicates' differences with their 5-95% band (as `renewal compare` computes it)."},
    "compare.not_paired": {"zh": "这些设置的政策起点、模拟比例、重复次数或参数抽样不同,不能逐次配对;请只比较各自的区间。",
                           "en": "These settings differ in policy start, scale, replicates or parameter draws, so their "
                                 "replicates are not paired; compare their bands only."},
    # -- sources -----------------------------------------------------------------------------------
    "sources.intro": {
        "zh": "本页列出当前起作用的参数:侧栏可调的参数、您改动的参数和在区间中抽样的参数。"
              "“依据”说明数值来自文献、校准还是假设;引用包括出处、日期、中文原文和英文。",
        "en": "The parameters in play: those the sidebar moves, those you changed and those drawn in the bands. "
              "Status says whether a value is documented, calibrated or assumed; citations give outlet, date, the "
              "Chinese quote and its English."},
    "sources.parameter": {"zh": "参数", "en": "parameter"},
    "sources.key": {"zh": "参数键", "en": "key"},
    "sources.status": {"zh": "依据", "en": "status"},
    "sources.value": {"zh": "取值", "en": "value"},
    "sources.unit": {"zh": "单位", "en": "unit"},
    "sources.range": {"zh": "合理范围", "en": "plausible range"},
    "sources.interval": {"zh": "校准区间", "en": "calibrated interval"},
    "sources.drawn": {"zh": "区间中抽样", "en": "drawn in bands"},
    "sources.citation": {"zh": "引用或假设理由", "en": "citation or reason"},
    "sources.pick": {"zh": "查看一个参数的完整出处", "en": "Show one parameter's full citation"},
    "sources.card": {"zh": "**依据:** {status} · 参数键 `{key}` · 单位 {unit}", "en": "**Status:** {status} · key `{key}` · unit {unit}"},
    "sources.card_interval": {"zh": "**校准区间:** {low} – {high}({meaning})",
                              "en": "**Calibrated interval:** {low} – {high} ({meaning})"},
    # a parameter's reason, headed by its status
    "sources.reason.assumed": {"zh": "**假设理由:** {reason}", "en": "**Why assumed:** {reason}"},
    "sources.reason.calibrated": {"zh": "**校准依据:** {reason}", "en": "**Why calibrated:** {reason}"},
    "sources.reason.documented": {"zh": "**资料解读:** {reason}", "en": "**How the sources are read:** {reason}"},
    "sources.card_source": {"zh": "**出处:** {outlet},{date}  \n> 「{quote}」  \n> {english}",
                            "en": "**Source:** {outlet}, {date}  \n> 「{quote}」  \n> {english}"},
    "sources.calibration": {"zh": "校准结果", "en": "Calibration"},
    "sources.not_calibrated": {"zh": "尚未运行校准(renewal calibrate),暂无拟合结果。",
                               "en": "Calibration not run yet (renewal calibrate): no fit to show."},
    "sources.calibrated": {"zh": "校准 {id}({date},{method}):各目标的观测值、容许区间与模拟值。",
                           "en": "Calibration {id} ({date}, {method}): each target's observed value, band and simulation."},
    # -- take away ---------------------------------------------------------------------------------
    "takeaway.intro": {"zh": "下载当前设置(可用 renewal run 原样运行)、结果数据和图表,或复制链接分享。",
                       "en": "Download the setting (runs unchanged with renewal run), the results and the charts, "
                             "or copy a link to share."},
    "download.yaml": {"zh": "下载情景文件(YAML)", "en": "Download the scenario (YAML)"},
    "download.csv": {"zh": "下载结果(CSV,逐月、逐次重复,含基准)", "en": "Download the results (CSV: every month and replicate, with the baseline)"},
    "download.headlines": {"zh": "下载主要结果(CSV:与页面相同的统计量及其5%-95%区间、与基准的配对变化;statistic 列注明统计量)",
                           "en": "Download the headline numbers (CSV: the page's statistic with its 5-95% band and the paired "
                                 "change against the baseline; the statistic column names it)"},
    "fit.target": {"zh": "目标", "en": "Target"},
    "fit.figure": {"zh": "文献数据编号", "en": "Document figure"},
    "fit.role": {"zh": "用途", "en": "Role"},
    "fit.measure": {"zh": "模型指标", "en": "Model measure"},
    "fit.compare": {"zh": "比较方式", "en": "Compared as"},
    "fit.period": {"zh": "时期", "en": "Period"},
    "fit.observed": {"zh": "文献值", "en": "Document value"},
    "fit.band_low": {"zh": "容许区间下限", "en": "Band, low"},
    "fit.band_high": {"zh": "容许区间上限", "en": "Band, high"},
    "fit.simulated_median": {"zh": "模拟中位数", "en": "Simulated median"},
    "fit.simulated_p5": {"zh": "模拟第5百分位", "en": "Simulated 5th percentile"},
    "fit.simulated_p95": {"zh": "模拟第95百分位", "en": "Simulated 95th percentile"},
    "fit.error": {"zh": "相对误差", "en": "Relative error"},
    "fit.share_in_band": {"zh": "落在容许区间内的重复比例", "en": "Share of replicates within the band"},
    "fit.key": {"zh": "目标标识", "en": "Target id"},
    "fit.role.fit": {"zh": "拟合", "en": "fit"},
    "fit.role.holdout": {"zh": "留出检验", "en": "holdout"},
    "fit.role.check": {"zh": "合理性检查", "en": "check"},
    "download.report": {"zh": "下载报告(HTML)", "en": "Download the report (HTML)"},
    "download.report_help": {"zh": "本设置与基准对比的完整报告:主要结果及区间、图表、方法附录和每个参数的出处。可离线打开。",
                             "en": "The full report of this setting against the baseline: headline outcomes with bands, charts, the methods appendix and every parameter's citation. Opens offline."},
    "takeaway.command": {"zh": "命令行运行:`renewal run 下载的文件.yaml`,得到相同的数字。",
                         "en": "On the command line: `renewal run downloaded.yaml` gives the same numbers."},
    "takeaway.link": {"zh": "分享链接(浏览器地址栏已同步更新,打开即可还原设置):",
                      "en": "Link to share (the address bar is kept in step; opening it restores the setting):"},
    "takeaway.link_default": {"zh": "(默认设置,无需参数)", "en": "(the defaults: no query needed)"},
    # -- limitations -------------------------------------------------------------------------------
    "limitations.body": {
        "zh": """**这个模型能做什么、不能做什么**

- 这是一个“如果……会怎样”的推演工具,不是预测。它比较不同政策在同样条件下的差别,数字的绝对水平不如差别可靠。
- 资料来源是新闻报道和官方介绍,不是统计表。“近400个”“600余个”等说法按统一的约定换算。
- 没有地理信息:小区一览按状态和紧迫程度排列,不是地图。
- 没有住房市场;户主只有年龄,没有完整的家庭成员结构;就业不会换行业。
- 财政账户(经营税收、居民税费、随经济变化的土地和煤炭收入、上级转移支付)的构成是假设:资料中没有全区财政收入数字。预算超出上年收入可承受的比例时会提示,但不会被削减。
- 区间只抽取部分假设参数;许多影响历史的假设参数(如2014年市场主体数、危机深度)固定在登记值,区间以它们为条件。
- “城市宜居度”是一个构造指标,它对留居、回流和创业的影响无法从资料中识别,是模型假设;主要取决于这些假设的结果会标注 ⚠。
- 2014年的市场主体数量和大多数行为参数是假设,均列在“参数与来源”页。
- 区间来自有限次数的重复模拟;默认的规模和次数是为了在几秒内给出结果,需要更精细的数字请用命令行加大规模和次数。
""",
        "en": """**What this model can and cannot do**

- It is a what-if tool, not a forecast. It compares policies under the same conditions; the differences are
  more reliable than the levels.
- Its sources are news features and official accounts, not statistical tables. Hedged figures ("nearly 400",
  "more than 600") are read by one stated convention.
- No geography: the compound view is arranged by status and urgency, not a map.
- No housing market; household heads have an age but no full family structure; jobs do not change sector.
- The fiscal account (business tax, household taxes and fees, land and coal revenue that follows the economy,
  transfers from higher levels) is assumed in its make-up: the sources give no revenue figure. A budget beyond what
  last year's revenue can carry is flagged, not cut.
- Bands draw only some assumed parameters: many that shape the history (the 2014 business stock, the crash's
  depth, ...) are held at their values, and the bands are conditional on them.
- "Amenity" is a construct; its effects on staying, returning and starting businesses cannot be identified from
  the sources and are assumed. Outcomes that rest mainly on these assumptions are marked ⚠.
- The 2014 business stock and most behavioural rates are assumed; all are listed in the Sources tab.
- Bands come from a limited number of replicates; the default scale and count are chosen to answer within
  seconds. For finer numbers, run the command line with a larger scale and more replicates.
"""},
}


def text(key: str, lang: str, /, **values) -> str:
    """The text for `key` in `lang`, with {placeholders} filled in."""
    words = TEXT[key][lang]
    return words.format(**values) if values else words
