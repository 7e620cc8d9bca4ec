return math.max(1, 5, 3), math.min(2, -1), math.abs(-7), math.ult(1, 2)
