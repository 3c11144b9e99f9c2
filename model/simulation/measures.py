"""The monthly measures, named as a planner would say them: one table the CLI, app, report and sweeps read.

`scaled` measures are counts or money; the run divides them by the scale so that every output is
in real-county units. Flows are per month; stocks are at the end of the month.
"""

from __future__ import annotations

from dataclasses import dataclass

from model.simulation.agents.businesses import SECTORS
from model.simulation.agents.households import QUINTILES


@dataclass(frozen=True)
class Measure:
    name: str
    unit: str
    en: str
    zh: str
    scaled: bool = True
    flow: bool = False


def _m(name, unit, en, zh, scaled=True, flow=False):
    return Measure(name, unit, en, zh, scaled, flow)


_SECTOR_ZH = {"retail": "零售", "catering": "餐饮", "services": "服务", "manufacturing": "制造", "coal_logistics": "煤炭物流"}

MEASURES: tuple[Measure, ...] = (
    # people
    _m("population", "persons", "Resident population", "常住人口"),
    _m("households", "households", "Resident households", "常住户数"),
    _m("persons_away", "persons", "People away (may return)", "外出人口(可能回流)"),
    _m("births", "persons", "Births", "出生人口", flow=True),
    _m("deaths", "persons", "Deaths", "死亡人口", flow=True),
    _m("departures", "persons", "People leaving", "迁出人口", flow=True),
    _m("returns", "persons", "People returning", "回流人口", flow=True),
    _m("newcomers", "persons", "Newcomers", "新迁入人口", flow=True),
    _m("settled_elsewhere", "persons", "People away settling elsewhere", "外出人口在外定居", flow=True),
    _m("households_formed", "households", "Households formed", "新分户", flow=True),
    _m("households_dissolved", "households", "Households dissolved", "消亡户", flow=True),
    _m("households_departed", "households", "Households leaving", "迁出户", flow=True),
    _m("households_returned", "households", "Households returning", "回流户", flow=True),
    _m("households_arrived", "households", "Households arriving", "迁入户", flow=True),
    _m("talent_households_housed", "households", "Talent households housed", "人才住房入住户", flow=True),
    # conditions
    _m("economy_index", "index", "Coal/economy index (pre-crash = 1)", "经济指数(危机前=1)", scaled=False),
    _m("city_pull", "index", "Big-city pull (2014 = 1)", "大城市吸引力", scaled=False),
    _m("amenity", "index 0-1", "Amenity (renovation, street blocks, stalls)", "城市宜居度", scaled=False),
    _m("income_per_head_yuan", "yuan per person per year", "Disposable income per head", "人均可支配收入", scaled=False),
    _m("consumption_per_head_yuan", "yuan per person per year", "Consumption per head", "人均消费支出", scaled=False),
    # renovation pipeline
    _m("persons_in_problem_compounds", "persons", "Residents of compounds needing renovation", "问题小区居住人口"),
    _m("compounds_with_problems", "compounds", "Compounds with failing items", "存在问题的小区"),
    _m("items_failed", "items", "Items failing anew (ageing)", "新出现的设施问题", flow=True),
    _m("compounds_untouched", "compounds", "Problem compounds not yet listed", "未列入清单的问题小区"),
    _m("compounds_listed", "compounds", "Compounds listed", "已列入清单"),
    _m("compounds_collecting", "compounds", "Compounds collecting the residents' share", "居民自筹中"),
    _m("compounds_funded", "compounds", "Compounds funded, waiting for works", "资金到位待施工"),
    _m("compounds_under_works", "compounds", "Compounds under works", "施工中"),
    _m("compounds_renovated", "compounds", "Compounds renovated (now)", "已完成改造"),
    _m("compounds_completed", "compounds", "Renovations completed", "本月完成改造", flow=True),
    _m("compounds_completed_local", "compounds", "Renovations completed (local list)", "完成改造(地方清单)", flow=True),
    _m("compounds_completed_national", "compounds", "Renovations completed (national scheme)", "完成改造(国家计划)", flow=True),
    _m("households_covered", "households", "Households covered by completed renovations", "改造惠及户数", flow=True),
    _m("persons_covered", "persons", "People covered by completed renovations", "改造惠及人数", flow=True),
    _m("persons_covered_local", "persons", "People covered by completed renovations (local list)", "改造惠及人数(地方清单)", flow=True),
    _m("collections_given_up", "compounds", "Compounds that did not raise their share in the plan's year", "年内未完成居民自筹的小区", flow=True),
    _m("resident_contributions_yuan", "yuan", "Residents' contributions", "居民自筹资金", flow=True),
    _m("government_renovation_spending_yuan", "yuan", "Government renovation subsidy paid", "政府改造补贴支出", flow=True),
    _m("renovation_budget_yuan", "yuan per year", "This year's renovation budget", "年度改造预算"),
    _m("renovation_budget_left_yuan", "yuan", "Renovation budget left this year", "年度预算余额"),
    _m("renovation_budget_share", "fraction of last year's revenue", "This year's renovation budget against last year's revenue",
       "年度改造预算占上年财政收入的比例", scaled=False),
    _m("renovation_budget_headroom_yuan", "yuan", "Room left under the share of last year's revenue the budget can take",
       "改造预算距财政可承受上限的余地"),
    _m("plan_left", "compounds", "Places left in this year's plan", "年度计划剩余名额"),
    _m("funded_waiting_for_plan", "compounds", "Funded compounds held back by the plan", "受年度计划限制的待施工小区"),
    _m("funded_waiting_for_budget", "compounds", "Funded compounds held back by the budget", "受预算限制的待施工小区"),
    *(_m(f"unresolved_share_q{q}", "fraction", f"Share of households living with unresolved problems, income quintile {q}",
         f"居住在存在未解决问题小区的家庭比例(收入第{q}组)", scaled=False) for q in range(1, QUINTILES + 1)),
    *(_m(f"months_waiting_q{q}", "months", f"Months waited so far by households whose compound was listed and not yet renovated, income quintile {q}",
         f"已列入清单尚未改造家庭的已等待月数(收入第{q}组)", scaled=False) for q in range(1, QUINTILES + 1)),
    # businesses
    _m("businesses", "entities", "Market entities", "市场主体"),
    _m("enterprises", "entities", "Enterprises", "企业"),
    _m("individual_businesses", "entities", "Individual businesses", "个体工商户"),
    *(_m(f"businesses_{s}", "entities", f"Businesses: {s.replace('_', ' ')}", f"市场主体:{_SECTOR_ZH[s]}") for s in SECTORS),
    _m("businesses_in_street_blocks", "entities", "Businesses in featured street blocks", "特色街区商户"),
    _m("street_blocks_open", "blocks", "Featured street blocks open", "特色街区数量", scaled=False),
    _m("business_entries", "entities", "Business entries", "新设市场主体", flow=True),
    _m("business_exits", "entities", "Business exits", "退出市场主体", flow=True),
    # the fiscal account (model/simulation/agents/government.py)
    _m("government_revenue_yuan", "yuan", "Government revenue", "财政收入", flow=True),
    _m("business_tax_yuan", "yuan", "Revenue: taxes on business", "财政收入:经营税收", flow=True),
    _m("household_tax_yuan", "yuan", "Revenue: taxes and fees on household income", "财政收入:居民税费", flow=True),
    _m("resource_revenue_yuan", "yuan", "Revenue: land and coal", "财政收入:土地和煤炭", flow=True),
    _m("transfer_revenue_yuan", "yuan", "Revenue: transfers from higher levels", "财政收入:上级转移支付", flow=True),
    # stalls
    _m("stalls", "stalls", "Free stalls", "免费摊位"),
    _m("stalls_occupied", "stalls", "Stalls occupied", "在营摊位"),
    _m("stall_occupancy", "fraction", "Stall occupancy", "摊位使用率", scaled=False),
    _m("stall_applicants", "vendors", "Stall applicants", "摊位申请人", flow=True),
    _m("stall_bans", "vendors", "Stall bans issued", "摊位禁入(新增)", flow=True),
    _m("vendors_banned", "vendors", "Vendors under a ban", "禁入中摊主"),
    # disputes
    _m("disputes_filed", "disputes", "Disputes filed", "受理矛盾纠纷", flow=True),
    _m("disputes_resolved", "disputes", "Disputes resolved", "化解矛盾纠纷", flow=True),
    _m("disputes_backlog", "disputes", "Disputes unresolved", "未化解矛盾纠纷"),
    _m("dispute_backlog_months", "months of capacity", "Dispute backlog in months of capacity", "纠纷积压(月)", scaled=False),
)

BY_NAME = {m.name: m for m in MEASURES}
FLOWS = tuple(m.name for m in MEASURES if m.flow)
