package io.passk.task;

import io.passk.task.maze.Maze;
import io.passk.task.maze.MazeGenerator;
import io.passk.task.maze.MazeWalk;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Maze navigation. Difficulty = the odd side of the character grid (5..41). The prompt is the
 * maze ({@code #} wall, {@code .} open, {@code S}, {@code E}, rows separated by newlines); the
 * answer is a move string over {@code U D L R}, one grid cell per move.
 *
 * <p>Every verifier reads the {@link AnswerExtraction#extract extracted} answer. Rules of the compact
 * tasks (surrounding whitespace is ignored, everything else is strict):
 * <ul>
 *   <li><b>binary</b> ({@code maze}): 1 iff every character is a legal move (one of U/D/L/R
 *       onto an open cell) and the last move is the first arrival on E; otherwise 0.
 *       Detours and revisits before E are fine; <b>moves after reaching E are not allowed</b>:
 *       the walk ends on arrival, so {@code ...R} then {@code L R} scores 0.</li>
 *   <li><b>partial credit</b> ({@code maze-partial}): 1 for a correct answer as above;
 *       otherwise {@code max(0, d(S) - d(p)) / (d(S) + 1)}, where {@code d} is the BFS
 *       (shortest-path) distance to E and {@code p} the cell where the walk stopped (at the
 *       first illegal character, or on E when moves follow the arrival). Strictly below 1 for
 *       every wrong answer; increases by {@code 1/(d(S)+1)} per step along a shortest path.</li>
 * </ul>
 * The <b>paper's format</b> ({@code maze-paper}, the same mazes): walls are drawn {@code *};
 * the answer is read by the paper's rules ({@link Maze#solvesByPaperRules}): {@code L R U D} in
 * either case are moves, every other character is ignored, a step into a wall or off the grid
 * fails, and the answer is correct (1, else 0) iff the walk ends on E.
 */
public final class MazeTask extends GeneratedTask {

    private static final long serialVersionUID = 1L;

    private final boolean partial;
    private final boolean paper;

    private MazeTask(boolean partial, boolean paper) {
        this.partial = partial;
        this.paper = paper;
    }

    /** The binary task {@code maze}. */
    public static MazeTask binary() {
        return new MazeTask(false, false);
    }

    /** The continuous-reward task {@code maze-partial} (same problems, partial credit). */
    public static MazeTask partialCredit() {
        return new MazeTask(true, false);
    }

    /** The paper's format {@code maze-paper}: the same mazes drawn with {@code *} walls, lenient answers. */
    public static MazeTask paper() {
        return new MazeTask(false, true);
    }

    public boolean isPartialCredit() {
        return partial;
    }

    /** Whether this is the paper's format ({@code *} walls, the paper's answer rules). */
    public boolean isPaperFormat() {
        return paper;
    }

    @Override
    public String name() {
        return paper ? "maze-paper" : partial ? "maze-partial" : "maze";
    }

    @Override
    public String alphabet() {
        return paper ? "*.SE\nUDLR" : "#.SE\nUDLR";
    }

    private char wall() {
        return paper ? Maze.PAPER_WALL : Maze.WALL;
    }

    @Override
    public String instructions() {
        if (paper) {
            return "Find a path through the maze below from S to E. * is a wall and . is an open cell. "
                    + "Each move is one cell: L (left), R (right), U (up), D (down). A step into a wall or off "
                    + "the maze fails; the path must end on E. The answer is the moves, for example RRDDLU.";
        }
        return "Find a path through the maze below from S to E. # is a wall and . is an open cell. "
                + "Each move is one cell: U (up), D (down), L (left), R (right). The answer is the move string "
                + "alone, for example RRDDLU; it must end with the first arrival on E.";
    }

    @Override
    public String difficultyRange() {
        return "odd grid size " + MazeGenerator.MIN_SIZE + ".." + MazeGenerator.MAX_SIZE;
    }

    @Override
    public boolean supportsDifficulty(int difficulty) {
        return MazeGenerator.supports(difficulty);
    }

    /** 7x7 and 9x9, the shipped suite's sizes (all variants share the mazes). */
    @Override
    public List<Integer> defaultDifficulties() {
        return List.of(7, 9);
    }

    @Override
    String family() {
        return "maze";
    }

    @Override
    Draft draft(SplittableRandom rng, int difficulty) {
        Maze maze = MazeGenerator.generate(difficulty, rng);
        String path = maze.shortestPath();
        return new Draft(maze.render(wall()), path, "size=" + difficulty + ";shortest=" + path.length());
    }

    @Override
    public String solve(Problem problem) {
        Optional<Maze> maze = problem == null ? Optional.empty() : Maze.parse(problem.prompt(), wall());
        String path = maze.map(Maze::shortestPath).orElse(null);
        return path == null ? "" : path;
    }

    @Override
    public double verify(Problem problem, String response) {
        try {
            if (problem == null || response == null) {
                return 0.0;
            }
            Optional<Maze> parsed = Maze.parse(problem.prompt(), wall());
            if (parsed.isEmpty()) {
                return 0.0;
            }
            Maze maze = parsed.get();
            String answer = AnswerExtraction.extract(response);
            if (paper) {
                return maze.solvesByPaperRules(answer) ? 1.0 : 0.0;
            }
            MazeWalk walk = maze.walk(answer.strip());
            if (walk.solved()) {
                return 1.0;
            }
            if (!partial) {
                return 0.0;
            }
            int[] dist = maze.distancesTo(maze.end());
            int d0 = dist[maze.start()];
            int d = dist[walk.cell()];
            if (d0 <= 0 || d < 0) {
                return 0.0;
            }
            return Math.max(0, d0 - d) / (d0 + 1.0);
        } catch (RuntimeException | StackOverflowError e) {
            return 0.0; // verifiers are total; nothing above should throw
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
