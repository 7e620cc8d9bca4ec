return string.format("%d %s %x %q %5.2s", 1, "a", 255, "q\n", "xyz")
