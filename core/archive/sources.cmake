# Exported archives: reading the ZIP with libzip, what is in it (crash dumps
# and logs first, the perf-stats CSV), and extracting it safely.
