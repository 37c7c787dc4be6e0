target_sources(gls_core PRIVATE)
