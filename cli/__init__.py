from . import sale_reorder_rhythms
