// ncursesw for Swift. SwiftPM drops the -D flags pkg-config reports, so the wide-character API is switched on
// here, before the first ncurses header. The small inline functions expose what ncurses defines as macros or
// globals that Swift cannot import directly (attributes, colour pairs, stdscr, LINES/COLS).
#ifndef CHURN_CNCURSES_SHIM_H
#define CHURN_CNCURSES_SHIM_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE 1
#endif

#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#if __has_include(<ncursesw/ncurses.h>)
#include <ncursesw/ncurses.h>
#else
#include <curses.h>
#endif

static inline WINDOW *churn_stdscr(void) { return stdscr; }
static inline int churn_lines(void) { return LINES; }
static inline int churn_cols(void) { return COLS; }

static inline attr_t churn_a_normal(void) { return A_NORMAL; }
static inline attr_t churn_a_bold(void) { return A_BOLD; }
static inline attr_t churn_a_dim(void) { return A_DIM; }
static inline attr_t churn_a_reverse(void) { return A_REVERSE; }
static inline attr_t churn_a_underline(void) { return A_UNDERLINE; }

/// Sets one cell of the virtual screen to a single character with attributes and a colour pair.
/// Returns ERR when the position is off screen (ncurses refuses the bottom-right cell's cursor move; that
/// cell is still drawn).
static inline int churn_put_cell(WINDOW *win, int y, int x, wchar_t ch, attr_t attrs, short pair) {
    cchar_t cell;
    wchar_t text[2] = { ch, 0 };
    if (setcchar(&cell, text, attrs, pair, NULL) != OK) return ERR;
    return mvwadd_wch(win, y, x, &cell);
}

#endif
