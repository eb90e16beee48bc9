from .contention import retried_on_contention
