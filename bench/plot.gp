# CPU-us per routed push versus bindings per user, baseline and push, with
# the push/baseline ratio on the right axis. bench/run.sh calls it with
#   gnuplot -e "datafile='...'; outfile='...'; termname='pngcairo'" plot.gp
# datafile columns: b, baseline CPU-us, push CPU-us, CPU ratio,
# baseline instructions, push instructions, instruction ratio (default
# allocator), instruction ratio with -x tlsf ("?" missing).
if (!exists("termname")) termname = 'pngcairo'
if (!exists("datafile")) datafile = 'plot.dat'
if (!exists("outfile")) outfile = 'cpu-per-push.png'

if (termname eq 'pngcairo') {
	set terminal pngcairo size 960,640 enhanced font ",10"
} else {
	set terminal png size 960,640
}
set output outfile
set datafile missing "?"
set title "push module vs stock Kamailio: CPU per routed push (median of the runs; ratios on the right axis)"
set xlabel "bindings per user"
set ylabel "Kamailio CPU-µs per routed push"
set y2label "push / baseline"
set xrange [0:21]
set xtics (1, 2, 5, 10, 20)
set yrange [0:*]
set y2range [0:*]
set y2tics
set ytics nomirror
set grid
set bmargin 8
set key at screen 0.5, 0.01 center bottom maxrows 3 horizontal

plot datafile using 1:2 with linespoints lw 2 pt 7 title "baseline (registrar lookup, forks to every binding)", \
     datafile using 1:3 with linespoints lw 2 pt 5 title "push (push\\_lookup, forks to matching bindings)", \
     datafile using 1:4 axes x1y2 with linespoints dt 2 pt 6 title "CPU ratio push/baseline (right)", \
     datafile using 1:7 axes x1y2 with linespoints dt 3 pt 4 title "instruction ratio push/baseline, qm (right)", \
     datafile using 1:8 axes x1y2 with linespoints dt 4 pt 8 title "instruction ratio push/baseline, tlsf (right)"
