return string.byte("abc", 1, -1)
