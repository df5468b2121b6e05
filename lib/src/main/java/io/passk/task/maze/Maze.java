package io.passk.task.maze;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Optional;

/**
 * A maze on a rectangular character grid: {@code #} wall, {@code .} open, {@code S} start,
 * {@code E} end (both open), one row per line. Cells are numbered {@code row * cols + col};
 * moves {@code U D L R} go one cell up, down, left, right. Immutable.
 *
 * <p>The paper's drawing differs only in the wall character, {@value #PAPER_WALL}
 * ({@link #render(char)}, {@link #parse(String, char)}), and its answers are read by
 * {@link #solvesByPaperRules}.
 */
public final class Maze {

    public static final char WALL = '#';
    /** The wall character of the paper's mazes. */
    public static final char PAPER_WALL = '*';
    public static final char OPEN = '.';
    public static final char START = 'S';
    public static final char END = 'E';
    /** Moves in the order the BFS tries them (so shortest paths are deterministic). */
    public static final String MOVES = "UDLR";
    /** Larger grids are refused by {@link #parse} (keeps verifying bounded). */
    public static final int MAX_SIDE = 101;

    private final int rows;
    private final int cols;
    private final boolean[] open;
    private final int start;
    private final int end;

    Maze(int rows, int cols, boolean[] open, int start, int end) {
        if (!open[start] || !open[end] || start == end) {
            throw new IllegalArgumentException("start and end must be distinct open cells");
        }
        this.rows = rows;
        this.cols = cols;
        this.open = open.clone();
        this.start = start;
        this.end = end;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int start() {
        return start;
    }

    public int end() {
        return end;
    }

    public boolean isOpen(int cell) {
        return cell >= 0 && cell < open.length && open[cell];
    }

    /** The neighbour of {@code cell} after {@code move}, or -1 for a wall, the border or a bad move. */
    public int step(int cell, char move) {
        int r = cell / cols;
        int c = cell % cols;
        switch (move) {
            case 'U' -> r--;
            case 'D' -> r++;
            case 'L' -> c--;
            case 'R' -> c++;
            default -> {
                return -1;
            }
        }
        if (r < 0 || r >= rows || c < 0 || c >= cols) {
            return -1;
        }
        int next = r * cols + c;
        return open[next] ? next : -1;
    }

    /** BFS distance (in moves) from every cell to {@code target}; -1 for walls and unreachable cells. */
    public int[] distancesTo(int target) {
        int[] dist = new int[open.length];
        Arrays.fill(dist, -1);
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        dist[target] = 0;
        queue.add(target);
        while (!queue.isEmpty()) {
            int cell = queue.poll();
            for (int m = 0; m < MOVES.length(); m++) {
                int next = step(cell, MOVES.charAt(m));
                if (next >= 0 && dist[next] < 0) {
                    dist[next] = dist[cell] + 1;
                    queue.add(next);
                }
            }
        }
        return dist;
    }

    /**
     * A shortest move string from S to E (BFS; among equal-length paths, the one whose moves
     * come first in {@code U D L R} order at each step), or null when E is unreachable.
     */
    public String shortestPath() {
        int[] dist = distancesTo(end);
        if (dist[start] < 0) {
            return null;
        }
        StringBuilder sb = new StringBuilder(dist[start]);
        int cell = start;
        while (cell != end) {
            for (int m = 0; m < MOVES.length(); m++) {
                int next = step(cell, MOVES.charAt(m));
                if (next >= 0 && dist[next] == dist[cell] - 1) {
                    sb.append(MOVES.charAt(m));
                    cell = next;
                    break;
                }
            }
        }
        return sb.toString();
    }

    /**
     * Walks {@code moves} from S. The walk stops at the first character that is not a legal
     * move (not one of U/D/L/R, or into a wall or off the grid) and at the first arrival on E:
     * reaching E ends the walk, so any character after that arrival is left unconsumed.
     */
    public MazeWalk walk(CharSequence moves) {
        int cell = start;
        int i = 0;
        int n = moves.length();
        while (i < n && cell != end) {
            int next = step(cell, moves.charAt(i));
            if (next < 0) {
                break;
            }
            cell = next;
            i++;
        }
        return new MazeWalk(cell, i, n, cell == end);
    }

    /**
     * The paper's reading of an answer: {@code L R U D} in either case are moves, every other
     * character is ignored; any move into a wall or off the grid fails the whole answer; the
     * answer solves the maze iff the walk ends on E (passing E and coming back is fine).
     */
    public boolean solvesByPaperRules(CharSequence moves) {
        int cell = start;
        for (int i = 0, n = moves.length(); i < n; i++) {
            char m = switch (moves.charAt(i)) {
                case 'U', 'u' -> 'U';
                case 'D', 'd' -> 'D';
                case 'L', 'l' -> 'L';
                case 'R', 'r' -> 'R';
                default -> 0;
            };
            if (m == 0) {
                continue;
            }
            cell = step(cell, m);
            if (cell < 0) {
                return false;
            }
        }
        return cell == end;
    }

    /** The text form: one row per line, rows separated by {@code \n}, no trailing newline. */
    public String render() {
        return render(WALL);
    }

    /** The text form with {@code wall} for walls ({@link #PAPER_WALL} draws the paper's mazes). */
    public String render(char wall) {
        StringBuilder sb = new StringBuilder(rows * (cols + 1));
        for (int r = 0; r < rows; r++) {
            if (r > 0) {
                sb.append('\n');
            }
            for (int c = 0; c < cols; c++) {
                int cell = r * cols + c;
                sb.append(cell == start ? START : cell == end ? END : open[cell] ? OPEN : wall);
            }
        }
        return sb.toString();
    }

    /**
     * Reads the text form back. Total: empty unless the text is a rectangle of at most
     * {@value #MAX_SIDE} x {@value #MAX_SIDE} cells over {@code # . S E} with exactly one S
     * and one E (a single trailing newline is tolerated).
     */
    public static Optional<Maze> parse(String text) {
        return parse(text, WALL);
    }

    /** As {@link #parse(String)}, with {@code wall} as the wall character instead of {@code #}. */
    public static Optional<Maze> parse(String text, char wall) {
        if (wall == OPEN || wall == START || wall == END || wall == '\n') {
            return Optional.empty();
        }
        if (text == null || text.isEmpty() || text.length() > MAX_SIDE * (MAX_SIDE + 1)) {
            return Optional.empty();
        }
        String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        String[] lines = body.split("\n", -1);
        int rows = lines.length;
        int cols = lines[0].length();
        if (rows > MAX_SIDE || cols == 0 || cols > MAX_SIDE) {
            return Optional.empty();
        }
        boolean[] open = new boolean[rows * cols];
        int start = -1;
        int end = -1;
        for (int r = 0; r < rows; r++) {
            if (lines[r].length() != cols) {
                return Optional.empty();
            }
            for (int c = 0; c < cols; c++) {
                char ch = lines[r].charAt(c);
                int cell = r * cols + c;
                if (ch == wall) {
                    open[cell] = false;
                    continue;
                }
                switch (ch) {
                    case OPEN -> open[cell] = true;
                    case START -> {
                        if (start >= 0) {
                            return Optional.empty();
                        }
                        start = cell;
                        open[cell] = true;
                    }
                    case END -> {
                        if (end >= 0) {
                            return Optional.empty();
                        }
                        end = cell;
                        open[cell] = true;
                    }
                    default -> {
                        return Optional.empty();
                    }
                }
            }
        }
        if (start < 0 || end < 0) {
            return Optional.empty();
        }
        return Optional.of(new Maze(rows, cols, open, start, end));
    }
}
