return select("#", table.unpack({1, 2, 3}))
