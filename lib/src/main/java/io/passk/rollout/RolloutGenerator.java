package io.passk.rollout;

import io.passk.BadInputException;
import io.passk.Columns;
import io.passk.policy.Devices;
import io.passk.policy.EngineThreads;
import io.passk.policy.PolicyCache;
import io.passk.policy.PolicyText;
import io.passk.rollout.server.RolloutConfig;
import io.passk.rollout.server.ServerPolicy;
import io.passk.rollout.server.ServerSampler;
import io.passk.policy.Sample;
import io.passk.policy.SampleRequest;
import io.passk.policy.SamplingConfig;
import io.passk.spark.HasEpoch;
import io.passk.spark.HasSeed;
import io.passk.spark.StageSchema;
import io.passk.spark.StageSchema.ColumnType;
import io.passk.task.Problem;
import io.passk.task.PromptStyle;
import io.passk.settings.EngineSettings;
import io.passk.task.Task;
import io.passk.tokenizer.PromptTemplate;
import org.apache.spark.TaskContext;
import org.apache.spark.util.TaskCompletionListener;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import scala.jdk.javaapi.CollectionConverters;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Prompts in, one rollout row per sample out ({@link RolloutSchema}): the role of DJL's Spark
 * {@code BasePredictor}. {@link #transform} checks the input schema, then runs
 * {@code mapPartitions}: each partition takes the policy from the JVM's {@link PolicyCache}
 * (loaded once per executor and checkpoint), on the task's GPU when Spark grants one
 * ({@link Devices}), samples {@code numSamples} responses per problem and scores each with its
 * task's verifier.
 *
 * <p>Determinism: every draw is keyed by (seed, epoch, problem_id, sample_idx, step) and a batch
 * never mixes problems (a problem's {@code numSamples} rows are cut into batches of
 * {@code batchSize}), so a problem's rollouts are bit-identical whatever the partitioning, the
 * order of problems, or a task retry.
 *
 * <p>Input: {@code problem_id} (string), {@code task} (string) and {@code inputCol} (string,
 * default {@code prompt}); {@code split}, {@code difficulty}, {@code solution}, {@code meta} are
 * passed to the verifier when present. A missing or mistyped column is a
 * {@link BadInputException} from {@link #transformSchema} ({@code io.passk.spark.StageSchema}).
 * {@code policyPath} is a passk checkpoint or a Hugging Face model directory (either kind
 * through {@code PolicyModel}); {@code promptTemplate} says how a Hugging Face policy renders the
 * prompt, and each row records the ids it saw in {@code prompt_tokens}.
 *
 * <p>{@code promptStyle} ({@code compact}, the default, or {@code instruction},
 * {@link PromptStyle}) says which rendering the policy samples from: the input prompt itself, or
 * the task's instruction messages around it ({@link Task#instructionMessages}), which a Hugging
 * Face policy under {@code chat} renders with its chat template and any other policy as plain
 * text ({@code PolicyModel.encodeMessages}). The verifier is given the problem with its compact
 * prompt either way. The row's {@code prompt} column stays the compact prompt whatever the
 * style: it is the problem as the verifier, the task suite and every analysis that joins
 * rollouts to problems read it, and the schema stays one across styles; what the model saw is
 * exactly {@code prompt_tokens} (the instruction text is a pure function of the task, the prompt
 * and the style a run records).
 * {@code seed} and {@code epoch} are the params shared with the other stages; every param has a
 * getter, and {@link #load} reads a saved generator (with the registry's tasks).
 */
public final class RolloutGenerator extends Transformer implements HasSeed, HasEpoch, DefaultParamsWritable {
    private static final long serialVersionUID = 1L;
    private static final String STAGE = "RolloutGenerator";
    private static final Logger LOG = LoggerFactory.getLogger(RolloutGenerator.class);

    private final String uid;
    private final Param<String> policyPath;
    private final IntParam numSamples;
    private final DoubleParam temperature;
    private final DoubleParam topP;
    private final IntParam maxNewTokens;
    private final IntParam batchSize;
    private final LongParam seed;
    private final IntParam epoch;
    private final Param<String> inputCol;
    private final Param<String> promptTemplate;
    private final Param<String> promptStyle;
    private TaskResolver tasks = TaskResolver.registry();
    /** Where rollouts are sampled (a decision of the run, not a tuning param: set once, copied with the stage). */
    private RolloutConfig rollout = RolloutConfig.djl();

    public RolloutGenerator() {
        this(Identifiable$.MODULE$.randomUID("rolloutGenerator"));
    }

    public RolloutGenerator(String uid) {
        this.uid = uid;
        policyPath = new Param<>(this, "policyPath", "policy checkpoint directory");
        numSamples = new IntParam(this, "numSamples", "responses per problem (N)", ParamValidators.gtEq(1));
        temperature = new DoubleParam(this, "temperature", "sampling temperature (0 = greedy)", ParamValidators.gtEq(0));
        topP = new DoubleParam(this, "topP", "nucleus probability mass in (0, 1]", ParamValidators.inRange(0, 1, false, true));
        maxNewTokens = new IntParam(this, "maxNewTokens", "response length limit in tokens", ParamValidators.gtEq(1));
        batchSize = new IntParam(this, "batchSize", "sequences per forward pass", ParamValidators.gtEq(1));
        seed = HasSeed.seedParam(this);
        epoch = HasEpoch.epochParam(this);
        inputCol = new Param<>(this, "inputCol", "prompt column");
        promptTemplate = new Param<>(this, "promptTemplate",
                "how the policy renders a prompt: auto (the model's own), plain, plain-bos or chat",
                ParamValidators.inArray(PromptTemplate.SETTINGS.toArray(new String[0])));
        promptStyle = new Param<>(this, "promptStyle",
                "which rendering the policy samples from: compact (the prompt) or instruction (the task's messages)",
                ParamValidators.inArray(new String[]{PromptStyle.COMPACT.settingName(),
                        PromptStyle.INSTRUCTION.settingName()}));
        setDefault(promptStyle, PromptStyle.COMPACT.settingName());
        setDefault(numSamples, 64);
        setDefault(temperature, 1.0);
        setDefault(topP, 1.0);
        setDefault(maxNewTokens, 128);
        setDefault(batchSize, 64);
        setDefault(seed, 0L);
        setDefault(epoch, 0);
        setDefault(inputCol, "prompt");
        setDefault(promptTemplate, PromptTemplate.AUTO);
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> policyPath() { return policyPath; }
    public IntParam numSamples() { return numSamples; }
    public DoubleParam temperature() { return temperature; }
    public DoubleParam topP() { return topP; }
    public IntParam maxNewTokens() { return maxNewTokens; }
    public IntParam batchSize() { return batchSize; }
    @Override public LongParam seed() { return seed; }
    @Override public IntParam epoch() { return epoch; }
    public Param<String> inputCol() { return inputCol; }
    public Param<String> promptTemplate() { return promptTemplate; }
    public Param<String> promptStyle() { return promptStyle; }

    // getSeed and getEpoch: the shared HasSeed / HasEpoch
    public String getPolicyPath() { return getOrDefault(policyPath); }
    public int getNumSamples() { return (Integer) getOrDefault(numSamples); }
    public double getTemperature() { return (Double) getOrDefault(temperature); }
    public double getTopP() { return (Double) getOrDefault(topP); }
    public int getMaxNewTokens() { return (Integer) getOrDefault(maxNewTokens); }
    public int getBatchSize() { return (Integer) getOrDefault(batchSize); }
    public String getInputCol() { return getOrDefault(inputCol); }
    public String getPromptTemplate() { return getOrDefault(promptTemplate); }
    public String getPromptStyle() { return getOrDefault(promptStyle); }

    public RolloutGenerator setPolicyPath(String v) { set(policyPath, v); return this; }
    public RolloutGenerator setNumSamples(int v) { set(numSamples, v); return this; }
    public RolloutGenerator setTemperature(double v) { set(temperature, v); return this; }
    public RolloutGenerator setTopP(double v) { set(topP, v); return this; }
    public RolloutGenerator setMaxNewTokens(int v) { set(maxNewTokens, v); return this; }
    public RolloutGenerator setBatchSize(int v) { set(batchSize, v); return this; }
    public RolloutGenerator setSeed(long v) { set(seed, v); return this; }
    public RolloutGenerator setEpoch(int v) { set(epoch, v); return this; }
    public RolloutGenerator setInputCol(String v) { set(inputCol, v); return this; }
    public RolloutGenerator setPromptTemplate(String v) { set(promptTemplate, v); return this; }
    public RolloutGenerator setPromptStyle(String v) { set(promptStyle, v); return this; }

    /** Sets N, top-p, the response length and the decode batch from {@code s}. */
    public RolloutGenerator setSampling(Sampling s) {
        return setNumSamples(s.n()).setTopP(s.topP()).setMaxNewTokens(s.maxNewTokens()).setBatchSize(s.batchSize());
    }

    /** N, top-p, the response length and the decode batch this generator samples with. */
    public Sampling getSampling() {
        return new Sampling(getNumSamples(), getTopP(), getMaxNewTokens(), getBatchSize());
    }

    /** Where verifiers come from (default: the task registry); tests plug in toy tasks. */
    public RolloutGenerator setTaskResolver(TaskResolver resolver) {
        this.tasks = resolver;
        return this;
    }

    /** Samples from inference servers instead of the in-JVM decoder ({@link RolloutConfig}). */
    public RolloutGenerator setRollout(RolloutConfig config) {
        this.rollout = config;
        return this;
    }

    public RolloutConfig getRollout() {
        return rollout;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        StageSchema.require(STAGE, schema, "column", Columns.PROBLEM_ID, ColumnType.STRING);
        StageSchema.require(STAGE, schema, "column", "task", ColumnType.STRING);
        StageSchema.require(STAGE, schema, "inputCol", $(inputCol), ColumnType.STRING);
        for (String opt : new String[]{"split", "solution", "meta"}) {
            StageSchema.requireIfPresent(STAGE, schema, "column", opt, ColumnType.STRING);
        }
        StageSchema.requireIfPresent(STAGE, schema, "column", "difficulty", ColumnType.INTEGER);
        return RolloutSchema.SCHEMA;
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType schema = dataset.schema();
        transformSchema(schema);
        if (!isDefined(policyPath) || $(policyPath) == null) {
            throw new BadInputException(STAGE + ": policyPath is not set");
        }
        Column[] cols = {
                functions.col(Columns.PROBLEM_ID), functions.col("task"), functions.col($(inputCol)).as("__prompt"),
                optional(schema, "split", DataTypes.StringType), optional(schema, "difficulty", DataTypes.IntegerType),
                optional(schema, "solution", DataTypes.StringType), optional(schema, "meta", DataTypes.StringType),
        };
        int ep = getEpoch();
        Settings s = new Settings($(policyPath), new SamplingConfig(getNumSamples(), getTemperature(), getTopP(),
                getMaxNewTokens(), getBatchSize(), getSeed(), ep, true), ep, getPromptTemplate(),
                PromptStyle.byName(getPromptStyle()), EngineSettings.djlOffline(), tasks, rollout);
        // external servers get this policy (a LoRA adapter) before any task asks for it
        io.passk.rollout.server.ServerPolicy.prepare(rollout, $(policyPath));
        JavaRDD<Row> out = dataset.select(cols).toJavaRDD().mapPartitions(new GeneratePartition(s));
        return dataset.sparkSession().createDataFrame(out, RolloutSchema.SCHEMA);
    }

    @Override
    public RolloutGenerator copy(ParamMap extra) {
        RolloutGenerator c = defaultCopy(extra);
        c.tasks = tasks;
        c.rollout = rollout;
        return c;
    }

    /** Reads a saved generator; its task resolver is the registry's (a resolver is code, not a param). */
    public static MLReader<RolloutGenerator> read() {
        return new DefaultParamsReader<>();
    }

    public static RolloutGenerator load(String path) {
        return read().load(path);
    }

    private static Column optional(StructType schema, String name, DataType type) {
        return StageSchema.has(schema, name) ? functions.col(name).cast(type).as("__" + name)
                : functions.lit(null).cast(type).as("__" + name);
    }

    /** What an executor needs (serialized into the closure). */
    record Settings(String policyPath, SamplingConfig sampling, int epoch, String promptTemplate,
                    PromptStyle promptStyle, boolean djlOffline, TaskResolver tasks, RolloutConfig rollout)
            implements Serializable {
    }

    /** One partition: problems in, rollout rows out, lazily (one problem's samples at a time). */
    static final class GeneratePartition implements FlatMapFunction<Iterator<Row>, Row> {
        private final Settings s;

        GeneratePartition(Settings s) {
            this.s = s;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> problems) {
            if (!problems.hasNext()) {
                return java.util.Collections.emptyIterator();
            }
            if (s.rollout().isServer()) {
                return fromServer(problems);
            }
            // before the engine loads: an executor started without ai.djl.offline takes the driver's
            EngineSettings.applyIfUnset(s.djlOffline());
            TaskContext tc = TaskContext.get();
            EngineThreads.configure(tc == null ? 1 : tc.cpus());
            PolicyCache.Lease lease = PolicyCache.acquire(Path.of(s.policyPath()), Devices.forCurrentTask());
            long start = System.nanoTime();
            long[] problemsDone = {0};
            return refilling(problems, rest -> {
                problemsDone[0]++;
                return generate(lease, rest.next());
            }, () -> {
                LOG.info("rollouts: {} problems x {} samples in {} s", problemsDone[0],
                        s.sampling().numSamples(), String.format("%.1f", (System.nanoTime() - start) / 1e9));
                lease.close();
            }, lease);
        }

        /**
         * The server engine: problems taken a few at a time (enough to keep {@code concurrency}
         * requests in flight), their rows out in input order.
         */
        private Iterator<Row> fromServer(Iterator<Row> problems) {
            TaskContext tc = TaskContext.get();
            ServerSampler sampler = ServerPolicy.open(s.rollout(), s.policyPath(), tc == null ? 0 : tc.partitionId());
            PolicyText text = sampler.text();
            int perChunk = Math.max(1, s.rollout().concurrency() / s.sampling().numSamples());
            return refilling(problems, rest -> {
                List<Problem> chunk = new ArrayList<>();
                List<Task> chunkTasks = new ArrayList<>();
                List<ServerSampler.Prompt> prompts = new ArrayList<>();
                while (chunk.size() < perChunk && rest.hasNext()) {
                    Row in = rest.next();
                    Task task = s.tasks().byName(in.getString(1));
                    Problem problem = problem(in);
                    SampleRequest request = request(s.promptStyle(), task, problem);
                    int[] ids;
                    try {
                        ids = text.encode(request, s.promptTemplate());
                    } catch (IllegalArgumentException e) {
                        throw new BadInputException("rollout input: " + e.getMessage() + " (policy "
                                + s.policyPath() + ")", e);
                    }
                    chunk.add(problem);
                    chunkTasks.add(task);
                    prompts.add(new ServerSampler.Prompt(problem.problemId(), ids));
                }
                List<List<Sample>> samples = sampler.sample(prompts, s.sampling());
                List<Row> out = new ArrayList<>();
                for (int i = 0; i < chunk.size(); i++) {
                    out.addAll(rows(chunkTasks.get(i), chunk.get(i), prompts.get(i).ids(), samples.get(i),
                            s.epoch()));
                }
                return out;
            }, sampler::close, sampler);
        }

        /**
         * The partition's rows, made a batch at a time by {@code next} (which takes one or more
         * problems from those left) and handed out in order; {@code done} runs once, when the
         * problems run out. {@code resource} is closed at the task's end too, so that a task
         * that fails or is killed half-way releases it.
         */
        private static Iterator<Row> refilling(Iterator<Row> problems,
                                               java.util.function.Function<Iterator<Row>, List<Row>> next,
                                               Runnable done, AutoCloseable resource) {
            TaskContext tc = TaskContext.get();
            if (tc != null) {
                tc.addTaskCompletionListener(new TaskCompletionListener() {
                    @Override
                    public void onTaskCompletion(TaskContext context) {
                        try {
                            resource.close();
                        } catch (Exception e) {
                            LOG.warn("closing the rollout engine at the task's end: {}", e.toString());
                        }
                    }
                });
            }
            return new Iterator<>() {
                private final ArrayDeque<Row> buffer = new ArrayDeque<>();
                private boolean finished;

                @Override
                public boolean hasNext() {
                    while (buffer.isEmpty() && problems.hasNext()) {
                        buffer.addAll(next.apply(problems));
                    }
                    if (buffer.isEmpty() && !finished) {
                        finished = true;
                        done.run();
                    }
                    return !buffer.isEmpty();
                }

                @Override
                public Row next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    return buffer.poll();
                }
            };
        }

        private Problem problem(Row in) {
            String id = in.getString(0);
            String taskName = in.getString(1);
            String prompt = in.getString(2);
            if (id == null || taskName == null || prompt == null) {
                throw new BadInputException("rollout input: null problem_id, task or prompt"
                        + (id == null ? "" : " in problem " + id));
            }
            return new Problem(id, taskName, in.isNullAt(3) ? "" : in.getString(3),
                    in.isNullAt(4) ? 0 : in.getInt(4), prompt,
                    in.isNullAt(5) ? "" : in.getString(5), in.isNullAt(6) ? "" : in.getString(6));
        }

        private List<Row> generate(PolicyCache.Lease lease, Row in) {
            String id = in.getString(0);
            String taskName = in.getString(1);
            String prompt = in.getString(2);
            if (id == null || taskName == null || prompt == null) {
                throw new BadInputException("rollout input: null problem_id, task or prompt"
                        + (id == null ? "" : " in problem " + id));
            }
            Task task = s.tasks().byName(taskName);
            Problem problem = new Problem(id, taskName, in.isNullAt(3) ? "" : in.getString(3),
                    in.isNullAt(4) ? 0 : in.getInt(4), prompt,
                    in.isNullAt(5) ? "" : in.getString(5), in.isNullAt(6) ? "" : in.getString(6));
            List<Sample> samples;
            int[] promptIds;
            SampleRequest request = request(s.promptStyle(), task, problem);
            try {
                promptIds = lease.policy().encode(request, s.promptTemplate());
                samples = lease.policy().sample(List.of(request), s.sampling(), s.promptTemplate());
            } catch (IllegalArgumentException e) {
                throw new BadInputException("rollout input: " + e.getMessage() + " (policy " + s.policyPath() + ")", e);
            }
            return rows(task, problem, promptIds, samples, s.epoch());
        }
    }

    /**
     * What the policy is asked for {@code problem}: its compact prompt, or under the instruction
     * style the task's messages around it as well (which the policy then encodes instead).
     */
    static SampleRequest request(PromptStyle style, Task task, Problem problem) {
        return SampleRequest.of(style, task, problem);
    }

    /**
     * The rollout rows of one problem's samples, each scored by {@code task}'s verifier on
     * {@code problem} itself (its compact prompt, whatever the style the policy saw) and the
     * response; {@code prompt} is the compact prompt, {@code prompt_tokens} {@code promptIds}.
     */
    static List<Row> rows(Task task, Problem problem, int[] promptIds, List<Sample> samples, int epoch) {
        List<Integer> promptTokens = new ArrayList<>(promptIds.length);
        for (int t : promptIds) {
            promptTokens.add(t);
        }
        scala.collection.immutable.List<Integer> promptList = CollectionConverters.asScala(promptTokens).toList();
        List<Row> rows = new ArrayList<>(samples.size());
        for (Sample x : samples) {
            double reward = task.verify(problem, x.response());
            List<Integer> tokens = new ArrayList<>(x.tokens().length);
            for (int t : x.tokens()) {
                tokens.add(t);
            }
            List<Float> logprobs = new ArrayList<>(x.logprobs().length);
            for (float f : x.logprobs()) {
                logprobs.add(f);
            }
            rows.add(RowFactory.create(problem.problemId(), problem.task(), x.sampleIdx(), problem.prompt(),
                    x.response(), CollectionConverters.asScala(tokens).toList(),
                    CollectionConverters.asScala(logprobs).toList(), x.meanEntropy(), reward, x.finished(), promptList,
                    epoch));
        }
        return rows;
    }
}
