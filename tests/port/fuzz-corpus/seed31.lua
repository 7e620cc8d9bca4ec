return (function(...) return select(2, ...) end)(1, 2, 3)
