"""Small Delaware DHSS files shared by the parse and load tests."""

TIMELINE_HEADER = "Mitigation,Start,Until\n"
DOWNLOAD_HEADER = "Location,County,Statistic,Value,Year,Month,Day,Date used,Unit,Age adjusted\n"
GOOD_TIMELINE = TIMELINE_HEADER + "".join(
    f"Measure {n},Apr {n:02d},Further Notice\n" for n in range(1, 9)
)
