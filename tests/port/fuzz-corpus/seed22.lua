goto l ::l:: return 1
