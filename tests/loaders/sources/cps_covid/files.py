"""Small CPS files shared by the parse and load tests: captures of allCpsCovidData.csv in both
layouts, and one full of malformed rows."""

SCHOOLS = "allCpsCovidData.csv"
ID_HEADER = "School,Latitude,Longitude,CPS_School_ID,7Total,14Total,gTotal"
EARLY_HEADER = (
    "School,Latitude,Longitude,mer_coords_x,mer_coords_y,Q3 SY20,Q4 SY20,Summer SY20,Q1 SY21,"
    "Q2 SY21"
)
# 2021-02-10: weekly buckets 2021-01-02 and 2021-01-09 (next column 7 days later), then daily.
FEB_10 = (
    f"{ID_HEADER},20210102,20210109,20210116,20210117\n"
    "ADMINISTRATIVE,41.88235794,-87.62813012,999999,1,2,5,1,2,1,1\n"
    "ADDAMS,41.6987388,-87.53297604,609772,0,0,2,1,0,0,1\n"
    "MIDDLE NAME,41.9,-87.7,610001,0,1,3,0,2,1,0\n"
)
# 2021-03-28: school 610001 renamed again.
MAR_28 = (
    f"{ID_HEADER},20210116,20210117\n"
    "ADMINISTRATIVE,41.88235794,-87.62813012,999999,0,0,6,1,1\n"
    "ADDAMS,41.6987388,-87.53297604,609772,0,0,2,0,1\n"
    "NEW NAME ACADEMY,41.9,-87.7,610001,0,0,4,1,0\n"
)
# 2021-01-19, early layout: no ID; `20210115` is the Q2 SY21 total so far.
JAN_19 = (
    f"{EARLY_HEADER},20210115\n"
    "ADMINISTRATIVE,41.88235794,-87.62813012,-9754718.8,5143373.4,1,0,0,2,3,3\n"
    " addams ,41.6987388,-87.53297604,-9744126.3,5115958.2,0,0,0,1,1,1\n"
    "OLD NAME SCHOOL,41.9000000001,-87.7,-9762000.1,5148000.2,0,1,0,0,0,0\n"
    "GONE SCHOOL,41.5,-87.5,-9740000.1,5090000.2,0,0,1,0,2,2\n"
)
MALFORMED = (
    f"{ID_HEADER},20210116,20210117\n"
    "ADMINISTRATIVE,41.88,-87.62,999999,0,0,5,1,0\n"  # 2 good
    "ADDAMS,41.69,-87.53,609772,0,0,x,0,1\n"  # 3 bad gTotal
    "AGASSIZ,41.93,-87.65,609773,0,0,3,two,0\n"  # 4 bad daily count
    ",41.82,-87.63,609774,0,0,1,0,0\n"  # 5 no school name
    "ADMINISTRATIVE,41.88,-87.62,999999,0,0,9,2,2\n"  # 6 duplicate of line 2
    "ALCOTT,41.9\n"  # 7 short row (not the last: a short last line fails the whole file)
    "ALBANY PARK,41.97,-87.71,609775,0,0,1,-1,0\n"  # 8 a negative correction is kept
)
