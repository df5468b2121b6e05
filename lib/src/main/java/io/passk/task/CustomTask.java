package io.passk.task;

import io.passk.BadInputException;
import io.passk.task.maze.Maze;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The task of a suite made from the user's own problems ({@link JsonlSuite}, {@code passk tasks
 * --from-jsonl}): the prompt is the user's text, the solution the user's reference answer, and
 * one of three verifiers reads the {@link AnswerExtraction#extract extracted} answer:
 * <ul>
 *   <li>{@code custom-maze} ({@code --verifier maze}): the prompt holds a maze grid, a block of
 *       consecutive lines over {@code * # . S E} (surrounding spaces ignored; {@code *} or
 *       {@code #} walls, not both) with one S and one E; the answer is read by the paper's rules
 *       ({@link Maze#solvesByPaperRules}). Reads only the prompt.</li>
 *   <li>{@code custom-number} ({@code --verifier number}): what follows the last {@code =} (or
 *       the whole answer), stripped, is a decimal number {@code [+-]digits[.digits]} (at most
 *       {@value #MAX_NUMBER_LENGTH} characters) equal in value to the reference answer
 *       ({@code 42}, {@code 42.0} and {@code +42} agree).</li>
 *   <li>{@code custom-exact} ({@code --verifier exact}): the stripped answer equals the stripped
 *       reference answer, character for character.</li>
 * </ul>
 * Such a suite cannot be generated (its problems come from the file), has no default
 * difficulties (a row's difficulty is its {@code --difficulty-field}, default 0), and no fixed
 * alphabet (its text is the user's; a policy with its own tokenizer reads it).
 */
public final class CustomTask implements Task {

    private static final long serialVersionUID = 1L;

    static final int MAX_NUMBER_LENGTH = 200;
    private static final String GRID_CHARS = "*#.SE";

    /** The verifier of a custom suite, as {@code --verifier} names it. */
    public enum Verifier {
        MAZE, NUMBER, EXACT;

        /** The {@code --verifier} value: {@code maze}, {@code number} or {@code exact}. */
        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The verifier called {@code name}; bad input naming the known ones otherwise. */
        public static Verifier byName(String name) {
            for (Verifier v : values()) {
                if (v.cliName().equals(name)) {
                    return v;
                }
            }
            throw new BadInputException("unknown verifier '" + name + "'; known: maze, number, exact");
        }
    }

    private final Verifier verifier;

    public CustomTask(Verifier verifier) {
        this.verifier = verifier;
    }

    public Verifier verifier() {
        return verifier;
    }

    @Override
    public String name() {
        return "custom-" + verifier.cliName();
    }

    @Override
    public List<Problem> generate(long seed, int difficulty, int count, String split, Set<String> excludedPrompts) {
        throw new BadInputException("task " + name() + " has no generator: its problems come from a JSON-lines file "
                + "(passk tasks --from-jsonl FILE --verifier " + verifier.cliName() + ")");
    }

    @Override
    public String solve(Problem problem) {
        return problem == null ? "" : problem.solution();
    }

    @Override
    public String instructions() {
        return switch (verifier) {
            case MAZE -> "Find a path through the maze below from S to E. Each move is one cell: L (left), R (right), "
                    + "U (up), D (down). A step into a wall or off the maze fails; the path must end on E. "
                    + "The answer is the moves, for example RRDDLU.";
            case NUMBER -> "Solve the problem below. The answer is a number.";
            case EXACT -> "Solve the problem below. The answer is compared exactly with the expected one.";
        };
    }

    @Override
    public double verify(Problem problem, String response) {
        try {
            if (problem == null || response == null) {
                return 0.0;
            }
            String answer = AnswerExtraction.extract(response);
            return switch (verifier) {
                case MAZE -> grid(problem.prompt()).map(m -> m.solvesByPaperRules(answer)).orElse(false) ? 1.0 : 0.0;
                case NUMBER -> numbersEqual(problem.solution(), finalNumber(answer)) ? 1.0 : 0.0;
                case EXACT -> problem.solution() != null && answer.strip().equals(problem.solution().strip())
                        ? 1.0 : 0.0;
            };
        } catch (RuntimeException | StackOverflowError e) {
            return 0.0; // verifiers are total; nothing above should throw
        }
    }

    /**
     * Why {@code reference} cannot be this verifier's reference answer for {@code prompt}, or
     * empty when it can (the maze verifier also needs a maze in the prompt).
     */
    Optional<String> refusal(String prompt, String reference) {
        return switch (verifier) {
            case MAZE -> {
                Optional<Maze> maze = grid(prompt);
                if (maze.isEmpty()) {
                    yield Optional.of("the prompt holds no maze (lines over * # . S E with one S and one E)");
                }
                yield maze.get().solvesByPaperRules(AnswerExtraction.extract(reference)) ? Optional.empty()
                        : Optional.of("the answer does not solve the prompt's maze");
            }
            case NUMBER -> parseNumber(reference.strip()).isPresent() ? Optional.empty()
                    : Optional.of("the answer '" + abbreviate(reference) + "' is not a decimal number");
            case EXACT -> reference.strip().isEmpty() ? Optional.of("the answer is empty") : Optional.empty();
        };
    }

    private static boolean numbersEqual(String reference, String got) {
        if (reference == null || got == null) {
            return false;
        }
        Optional<BigDecimal> want = parseNumber(reference.strip());
        Optional<BigDecimal> have = parseNumber(got);
        return want.isPresent() && have.isPresent() && want.get().compareTo(have.get()) == 0;
    }

    /** What follows the last {@code =} (or all of it), stripped. */
    private static String finalNumber(String answer) {
        int eq = answer.lastIndexOf('=');
        return (eq >= 0 ? answer.substring(eq + 1) : answer).strip();
    }

    /** {@code [+-]digits[.digits]}, at most {@value #MAX_NUMBER_LENGTH} characters; empty otherwise. */
    static Optional<BigDecimal> parseNumber(String s) {
        if (s.isEmpty() || s.length() > MAX_NUMBER_LENGTH) {
            return Optional.empty();
        }
        int i = s.charAt(0) == '+' || s.charAt(0) == '-' ? 1 : 0;
        int digits = 0;
        int dot = -1;
        for (int j = i; j < s.length(); j++) {
            char c = s.charAt(j);
            if (c >= '0' && c <= '9') {
                digits++;
            } else if (c == '.' && dot < 0 && digits > 0) {
                dot = j;
            } else {
                return Optional.empty();
            }
        }
        if (digits == 0 || dot == s.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new BigDecimal(s.charAt(0) == '+' ? s.substring(1) : s));
    }

    /**
     * The first block of consecutive lines over {@code * # . S E} (each line stripped) that is a
     * maze: rectangular, one S, one E, walls all {@code *} or all {@code #}.
     */
    static Optional<Maze> grid(String prompt) {
        if (prompt == null) {
            return Optional.empty();
        }
        String[] lines = prompt.split("\n", -1);
        int i = 0;
        while (i < lines.length) {
            if (!isGridLine(lines[i].strip())) {
                i++;
                continue;
            }
            int j = i;
            StringBuilder block = new StringBuilder();
            while (j < lines.length && isGridLine(lines[j].strip())) {
                if (j > i) {
                    block.append('\n');
                }
                block.append(lines[j].strip());
                j++;
            }
            String b = block.toString();
            boolean stars = b.indexOf('*') >= 0;
            boolean hashes = b.indexOf('#') >= 0;
            if (!(stars && hashes)) {
                Optional<Maze> maze = Maze.parse(b, stars ? Maze.PAPER_WALL : Maze.WALL);
                if (maze.isPresent()) {
                    return maze;
                }
            }
            i = j;
        }
        return Optional.empty();
    }

    private static boolean isGridLine(String line) {
        if (line.length() < 2) {
            return false;
        }
        for (int k = 0; k < line.length(); k++) {
            if (GRID_CHARS.indexOf(line.charAt(k)) < 0) {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    /** No fixed alphabet: the text is the user's. */
    @Override
    public String alphabet() {
        return "";
    }

    @Override
    public String difficultyRange() {
        return "any integer >= 0 (a row's --difficulty-field, default 0)";
    }

    @Override
    public boolean supportsDifficulty(int difficulty) {
        return difficulty >= 0;
    }

    @Override
    public String toString() {
        return name();
    }
}
