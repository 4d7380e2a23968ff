"""Small Opportunity Insights files shared by the parse and load tests."""

REVENUE_HEAD = "year,month,day,countyfips,revenue_all\n"
REVENUE = REVENUE_HEAD + "2020,1,10,10003,-.0881\n2020,1,11,10003,.\n"
AFFINITY_HEAD = "year,month,day,statefips,freq,spend_all,provisional\n"
COVID_HEAD = (
    "year,month,day,statefips,new_case_count,new_death_count,case_count,death_count,"
    "new_case_rate,case_rate,new_death_rate,death_rate\n"
)
WIDE_HEAD = (
    "\ufeffstatename,statefips,schools_closed,nonessential_biz_closed,stayathome_start,"
    "regional_biz_opened,regional_stayathome_end,statewide_biz_opened,"
    "statewide_stayathome_end,regional_biz_reclosed,statewide_biz_reclosed\r\n"
)
WIDE = (
    WIDE_HEAD + "Delaware,10,2020-03-16,2020-03-24,2020-03-24,,,2020-06-01,2020-05-31,,\r\n"
    "South Dakota,46,2020-03-16,,,,,,,,\r\n"
)
LONG_HEAD = (
    "statefips,statename,date,policy_description,schools_first_closed,"
    "nonessential_biz_first_closed,stayathome_first_start\n"
)
LONG = LONG_HEAD + (
    "10,Delaware,2020-03-16,Delaware public schools closed,1,0,0\n"
    '10,Delaware,2020-03-24,"Delaware issued stay at home order, closed businesses",0,1,1\n'
    "47,Tennessee,2022-12-20,Tennessee reopened businesses,0,0,0\n"
)
VINTAGE_PATH = "vintage_2020-11-13/Policy Milestones - State.csv"
