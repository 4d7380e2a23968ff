"""Small PHAC files shared by the parse and load tests."""

HEADER = "pruid,prname,prnameFR,date,update,numconf,numprob,numdeaths,numtotal,numtoday\n"
GOOD = HEADER + "".join(f"{p},P{p},P{p},31-01-2020,,1,0,0,1,1\n" for p in (10, 11, 12, 13, 24))
