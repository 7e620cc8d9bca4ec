local t = {} for i = 1, 100 do t[i] = i * i end return #t
