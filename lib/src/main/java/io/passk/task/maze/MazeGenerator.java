package io.passk.task.maze;

import java.util.SplittableRandom;

/**
 * Perfect mazes (exactly one simple path between any two open cells) on an odd
 * {@code size x size} grid: rooms sit at odd (row, col), the border is wall, and a randomized
 * depth-first search (recursive backtracker, iterative here) knocks down the walls between
 * rooms. S and E are two distinct rooms drawn uniformly.
 */
public final class MazeGenerator {

    public static final int MIN_SIZE = 5;
    public static final int MAX_SIZE = 41;

    private MazeGenerator() {
    }

    public static boolean supports(int size) {
        return size >= MIN_SIZE && size <= MAX_SIZE && size % 2 == 1;
    }

    /** A maze drawn from {@code rng}; the same generator state gives the same maze. */
    public static Maze generate(int size, SplittableRandom rng) {
        if (!supports(size)) {
            throw new IllegalArgumentException("maze size must be odd in " + MIN_SIZE + ".." + MAX_SIZE + ": " + size);
        }
        int rooms = (size - 1) / 2;
        boolean[] open = new boolean[size * size];
        boolean[] visited = new boolean[rooms * rooms];
        int[] stack = new int[rooms * rooms];
        int top = 0;
        int first = rng.nextInt(rooms * rooms);
        stack[top++] = first;
        visited[first] = true;
        open[cellOf(first, rooms, size)] = true;
        int[] candidates = new int[4];
        while (top > 0) {
            int room = stack[top - 1];
            int rr = room / rooms;
            int rc = room % rooms;
            int k = 0;
            if (rr > 0 && !visited[room - rooms]) {
                candidates[k++] = room - rooms;
            }
            if (rr < rooms - 1 && !visited[room + rooms]) {
                candidates[k++] = room + rooms;
            }
            if (rc > 0 && !visited[room - 1]) {
                candidates[k++] = room - 1;
            }
            if (rc < rooms - 1 && !visited[room + 1]) {
                candidates[k++] = room + 1;
            }
            if (k == 0) {
                top--;
                continue;
            }
            int next = candidates[rng.nextInt(k)];
            visited[next] = true;
            int a = cellOf(room, rooms, size);
            int b = cellOf(next, rooms, size);
            open[b] = true;
            open[(a + b) / 2] = true; // the wall cell between two rooms is their midpoint
            stack[top++] = next;
        }
        int s = rng.nextInt(rooms * rooms);
        int e = rng.nextInt(rooms * rooms - 1);
        if (e >= s) {
            e++;
        }
        return new Maze(size, size, open, cellOf(s, rooms, size), cellOf(e, rooms, size));
    }

    private static int cellOf(int room, int rooms, int size) {
        int r = 2 * (room / rooms) + 1;
        int c = 2 * (room % rooms) + 1;
        return r * size + c;
    }
}
