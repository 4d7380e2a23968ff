"""Small JHU CSSE files shared by the parse and load tests."""

US_HEAD = (
    "UID,iso2,iso3,code3,FIPS,Admin2,Province_State,Country_Region,Lat,Long_,Combined_Key,"
    "Population,1/22/20,1/23/20\n"
)
KENT = '84010001,US,USA,840,10001.0,Kent,Delaware,US,39.08,-75.56,"Kent, Delaware, US",180786'
US = US_HEAD + (
    f"{KENT},0,1\n"
    '84001001,US,USA,840,1001.0,Autauga,Alabama,US,32.5,-86.6,"Autauga, Alabama, US",55869,'
    "2,2\n"
    '84080010,US,USA,840,80010.0,Out of DE,Delaware,US,0.0,0.0,"Out of DE, Delaware, US",0,'
    "0,3\n"
    '84090010,US,USA,840,90010.0,Unassigned,Delaware,US,0.0,0.0,"Unassigned, Delaware, US",0,'
    "4,1\n"  # cumulative values fall (reassignments): kept as published
    "84070002,US,USA,840,,Dukes and Nantucket,Massachusetts,US,41.4,-70.7,"
    '"Dukes and Nantucket,Massachusetts,US",0,0,\n'  # a blank cell is null
    '16,AS,ASM,16,60.0,,American Samoa,US,-14.27,-170.13,"American Samoa, US",55641,0,0\n'
)
REPORT_HEAD = (
    "Province_State,Country_Region,Last_Update,Lat,Long_,Confirmed,Deaths,Recovered,Active,"
    "FIPS,Incident_Rate,Total_Test_Results,People_Hospitalized,Case_Fatality_Ratio,UID,ISO3,"
    "Testing_Rate,Hospitalization_Rate\n"
)
REPORT = REPORT_HEAD + (
    "Alabama,US,2021-01-05 05:30:33,32.3182,-86.9023,374095,4878,202137.0,167080.0,1.0,"
    "7629.63,1903388.0,,1.30,84000001.0,USA,38819.42,\n"
    "Diamond Princess,US,2021-01-05 05:30:33,,,49,0,,49.0,88888.0,,,,0.0,84088888.0,USA,,\n"
)
OLD_REPORT = (  # the 2020 layout: People_Tested and Mortality_Rate, integers, a negative Active
    "Province_State,Country_Region,Last_Update,Lat,Long_,Confirmed,Deaths,Recovered,Active,"
    "FIPS,Incident_Rate,People_Tested,People_Hospitalized,Mortality_Rate,UID,ISO3,"
    "Testing_Rate,Hospitalization_Rate\n"
    "Alabama,US,2020-04-12 23:18:15,32.3182,-86.9023,3667,93,,3470,1,75.98,21583,437,2.61,"
    "84000001,USA,460.30,12.26\n"
    "Recovered,US,,,,0,0,32988,-32988,,,,,,84070001,USA,,\n"
)
REPORTS = "csse_covid_19_daily_reports_us"
