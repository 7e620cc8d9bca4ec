return table.concat({1, 2, 3}, ",")
