return string.pack("i4 j s1", 1, 2, "x")
