return 1.5
