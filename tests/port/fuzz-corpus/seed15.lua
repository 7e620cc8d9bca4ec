local t = {5, 3, 1, 4} table.sort(t, function(a, b) return a > b end) return t[1]
