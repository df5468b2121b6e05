package io.passk.tokenizer;

import io.passk.hf.PyJson;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import io.passk.BadInputException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A chat template that is neither ChatML nor Llama 3's, rendered with Jinjava configured as
 * transformers configures jinja2: {@code trim_blocks}, {@code lstrip_blocks},
 * {@code raise_exception(message)}, Python's {@code trim} and transformers' {@code tojson}
 * ({@code json.dumps} with {@code ensure_ascii=False}). Template features that Jinjava
 * rejects or renders differently from jinja2 are refused when the template is compiled, with
 * the feature named; so are templates Jinjava cannot parse or render. Known differences left:
 * Jinjava prints {@code true} / nothing where jinja2 prints {@code True} / {@code None}, and
 * treats an undefined variable as none.
 */
public final class JinjavaTemplate implements ChatTemplate {

    /** A template feature passk refuses, found by a pattern over the template's code. */
    private record Unsupported(Pattern pattern, String feature) {
    }

    private static final List<Unsupported> UNSUPPORTED = List.of(
            new Unsupported(Pattern.compile("namespace\\(\\s*\\w+\\s*="), "namespace(...) with keyword arguments"),
            new Unsupported(Pattern.compile("\\[[^\\[\\]]*:[^\\[\\]]*:[^\\[\\]]*\\]"), "slices with a step (e.g. messages[::-1])"),
            // jinja2 reads "not x is defined" as not (x is defined); Jinjava as (not x) is defined
            new Unsupported(Pattern.compile("\\bnot\\s+[A-Za-z_][\\w.]*(\\[[^\\]]*\\])*\\s+is\\s"),
                    "'not x is test' (Jinjava reads it as '(not x) is test', jinja2 as 'not (x is test)')"),
            new Unsupported(Pattern.compile("strftime_now"), "strftime_now (the date of the day)"),
            new Unsupported(Pattern.compile("\\{%-?\\s*generation\\b"), "the {% generation %} tag"),
            // Jinjava calls Java's String methods: strip() and split() exist there but differ from
            // Python's (whitespace set; regex split), the others do not exist
            new Unsupported(Pattern.compile("\\.\\s*(strip|lstrip|rstrip|split|rsplit|splitlines|startswith|endswith"
                    + "|upper|lower|title|capitalize|format|find|rfind|count|join|partition|rpartition|isdigit"
                    + "|isspace|isalpha)\\s*\\("), "the Python string method .%s(...)"));

    /**
     * Jinjava's opt-ins to jinja2's behaviour: among them {@code {{-}} / {@code -}}} trimming
     * around expressions (without it Jinjava keeps the whitespace), Python's operator precedence,
     * iteration over map keys. (Not its "pyish" object mapper: that writes control characters in
     * strings as escapes.)
     */
    private static final LegacyOverrides JINJA2 = LegacyOverrides.newBuilder()
            .withParseWhitespaceControlStrictly(true)
            .withUseTrimmingForNotesAndExpressions(true)
            .withUseNaturalOperatorPrecedence(true)
            .withEvaluateMapKeys(true)
            .withIterateOverMapKeys(true)
            .withKeepNullableLoopValues(true)
            .build();

    private static final Pattern FILTER = Pattern.compile("\\|\\s*([A-Za-z_]\\w*)");
    private static final Pattern TEST = Pattern.compile("\\bis\\s+(?:not\\s+)?([A-Za-z_]\\w*)");

    private static final String RAISED = "passk-raise_exception: ";

    private final String text;
    private final TemplateTokens tokens;
    private final String source;
    private final Jinjava jinjava;

    private JinjavaTemplate(String text, TemplateTokens tokens, String source) {
        this.text = text;
        this.tokens = tokens;
        this.source = source;
        this.jinjava = new Jinjava(JinjavaConfig.newBuilder().withTrimBlocks(true).withLstripBlocks(true)
                // jinja2 prints a value as it is; Jinjava would otherwise render template syntax inside a message
                .withNestedInterpretationEnabled(false)
                .withLegacyOverrides(JINJA2).build());
        jinjava.getGlobalContext().registerFunction(
                new ELFunctionDefinition("", "raise_exception", JinjavaTemplate.class, "raiseException", String.class));
        jinjava.getGlobalContext().registerFilter(new PythonTrim());
        jinjava.getGlobalContext().registerFilter(new PythonJson());
    }

    /**
     * Checks the code of {@code text} (not what it prints) for features passk refuses, for
     * filters and tests Jinjava lacks, and renders it once for a user-only prompt, so that a
     * template Jinjava cannot handle is refused before the run starts.
     */
    static JinjavaTemplate compile(String text, TemplateTokens tokens, String source) {
        String code = TemplateText.code(text);
        for (Unsupported u : UNSUPPORTED) {
            Matcher m = u.pattern.matcher(code);
            if (m.find()) {
                throw refusal(source, m.groupCount() > 0 ? String.format(Locale.ROOT, u.feature, m.group(1)) : u.feature);
            }
        }
        JinjavaTemplate template = new JinjavaTemplate(text, tokens, source);
        // Jinjava passes a value through an unknown filter unchanged and without an error
        Matcher filter = FILTER.matcher(code);
        while (filter.find()) {
            if (template.jinjava.getGlobalContext().getFilter(filter.group(1)) == null) {
                throw refusal(source, "the filter |" + filter.group(1) + " (not in Jinjava)");
            }
        }
        Matcher test = TEST.matcher(code);
        while (test.find()) {
            if (template.jinjava.getGlobalContext().getExpTest(test.group(1)) == null) {
                throw refusal(source, "the test 'is " + test.group(1) + "' (not in Jinjava)");
            }
        }
        template.renderChecked(ChatPrompt.of("passk template check"), ChatOptions.NONE, true);
        return template;
    }

    private static BadInputException refusal(String source, String feature) {
        return new BadInputException(source + ": chat template uses " + feature
                + ", which passk cannot render; use --prompt-template plain");
    }

    /** {@code raise_exception(message)} as transformers defines it: the template refuses its input. */
    public static String raiseException(String message) {
        throw new IllegalStateException(RAISED + message);
    }

    @Override
    public String format() {
        return "jinjava";
    }

    @Override
    public String render(ChatPrompt prompt, ChatOptions options) {
        return renderChecked(prompt, options, false);
    }

    private String renderChecked(ChatPrompt prompt, ChatOptions options, boolean check) {
        Map<String, Object> vars = new HashMap<>(tokens.variables());
        vars.putAll(options.variables());
        vars.put("messages", prompt.messages());
        vars.put("add_generation_prompt", true);
        RenderResult result = jinjava.renderForResult(text, vars);
        for (TemplateError e : result.getErrors()) {
            String message = String.valueOf(e.getMessage());
            for (Throwable t = e.getException(); t != null && message.indexOf(RAISED) < 0; t = t.getCause()) {
                if (String.valueOf(t.getMessage()).contains(RAISED)) {
                    message = t.getMessage();
                }
            }
            int raised = message.indexOf(RAISED);
            if (raised >= 0) {
                if (check) {
                    continue; // the template refuses the check prompt, not itself: real prompts decide
                }
                throw new BadInputException(source + ": the chat template refuses the prompt: "
                        + message.substring(raised + RAISED.length()));
            }
            if (e.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new BadInputException(source + ": Jinjava cannot render the chat template (line " + e.getLineno()
                        + ": " + message + "); use --prompt-template plain");
            }
        }
        return result.getOutput();
    }

    /** Jinja's {@code trim}: Python's {@code str.strip()}, not Java's. */
    private static final class PythonTrim implements Filter {
        @Override
        public String getName() {
            return "trim";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return var == null ? "" : PyStrings.strip(var.toString());
        }
    }

    /** transformers' {@code tojson}: {@code json.dumps(x, ensure_ascii=False, indent=indent)}. */
    private static final class PythonJson implements Filter {
        @Override
        public String getName() {
            return "tojson";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return PyJson.dumps(var, null, false, false);
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            Object indent = kwargs.get("indent");
            if (indent == null && args.length > 0) {
                indent = args[0];
            }
            return PyJson.dumps(var, indent == null ? null : Integer.valueOf(((Number) toNumber(indent)).intValue()), false,
                    false);
        }

        private static Object toNumber(Object o) {
            return o instanceof Number ? o : Long.valueOf(o.toString().trim());
        }
    }
}
