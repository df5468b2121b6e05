package io.passk.task.maze;

import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MazeTest {

    @Test
    void generatedMazesArePerfectWithWallsAroundTheBorder() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int size = MazeGenerator.MIN_SIZE; size <= 21; size += 2) {
            for (int rep = 0; rep < 20; rep++) {
                Maze m = MazeGenerator.generate(size, rng);
                int rooms = (size - 1) / 2;
                int openCells = 0;
                int edges = 0;
                for (int cell = 0; cell < size * size; cell++) {
                    int r = cell / size;
                    int c = cell % size;
                    if (r == 0 || c == 0 || r == size - 1 || c == size - 1) {
                        assertTrue(!m.isOpen(cell), "border must be wall");
                    }
                    if (m.isOpen(cell)) {
                        openCells++;
                        edges += (m.step(cell, 'R') >= 0 ? 1 : 0) + (m.step(cell, 'D') >= 0 ? 1 : 0);
                    }
                }
                // a spanning tree over rooms: R^2 rooms + (R^2 - 1) passages, and a tree has |V|-1 edges
                assertEquals(2 * rooms * rooms - 1, openCells);
                assertEquals(openCells - 1, edges, "no cycles");
                int[] dist = m.distancesTo(m.end());
                for (int cell = 0; cell < size * size; cell++) {
                    assertEquals(m.isOpen(cell), dist[cell] >= 0, "connected");
                }
                assertNotEquals(m.start(), m.end());
            }
        }
    }

    @Test
    void renderAndParseRoundTrip() {
        Maze m = MazeGenerator.generate(9, new SplittableRandom(1));
        String text = m.render();
        assertEquals(9 * 10 - 1, text.length());
        Maze back = Maze.parse(text).orElseThrow();
        assertEquals(text, back.render());
        assertEquals(text, Maze.parse(text + "\n").orElseThrow().render());
    }

    @Test
    void parseRejectsMalformedGrids() {
        for (String s : new String[]{"", "\n", "#S#\n#E", "#S#\n#.#", "#S#\n#EE", "#S#\n#X#\n#E#", "SE\r\n##",
                "#" .repeat(200) + "\nSE"}) {
            assertTrue(Maze.parse(s).isEmpty(), "should reject: " + s);
        }
        Optional<Maze> tiny = Maze.parse("SE");
        assertTrue(tiny.isPresent());
        assertEquals("R", tiny.get().shortestPath());
    }

    @Test
    void shortestPathIsTheBfsDistanceAndStopsOnE() {
        Maze m = Maze.parse("""
                #####
                #S..#
                ###.#
                #E..#
                #####""").orElseThrow();
        assertEquals("RRDDLL", m.shortestPath());
        assertTrue(m.walk("RRDDLL").solved());
        MazeWalk over = m.walk("RRDDLLR");
        assertTrue(over.overshot());
        assertEquals(6, over.consumed());
        MazeWalk bump = m.walk("RRRDD");
        assertEquals(2, bump.consumed(), "the third R hits the wall");
        assertTrue(!bump.atEnd());
    }
}
