return next({}), rawlen({1, 2}), rawequal(1, 1), rawget({3}, 1)
