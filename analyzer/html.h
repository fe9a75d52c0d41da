/* html.h — `heapscope report --html DIR`: charts and one self-contained
 * index.html, drawn by reports/heapscope_report.py from the JSON report. */
#ifndef HS_HTML_H
#define HS_HTML_H

#include <stddef.h>

#include "report.h"

/* Write the JSON report of the n analyses to DIR/report.json (DIR created
 * 0700 when missing; an existing DIR must be a real directory of this
 * user's, and no file is ever written through a symbolic link), run the
 * reports script on it with a Python that has matplotlib, and print the path
 * of DIR/index.html on stdout. Failures are one line on stderr. Returns 0,
 * or 1 when the page could not be made.
 *
 * Found at run time: the script through HEAPSCOPE_REPORTS (a directory), else
 * next to the executable (install tree: ../share/heapscope/reports/, build
 * tree: ../../reports/); the interpreter through HEAPSCOPE_PYTHON, else the
 * first of /usr/bin/python3 and python3 on PATH that can import matplotlib. */
int hs_report_html(const char *dir, struct hs_analysis *a, size_t n, const struct hs_suppressions *supp,
		   const struct hs_report_opts *o);

#endif
