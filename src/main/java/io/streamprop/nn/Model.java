package io.streamprop.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.ejml.data.DMatrixRMaj;

/**
 * The whole training state of one network: its spec, weights and biases, optimizer moments,
 * feature statistics and counters, together with the work matrices that training and prediction
 * reuse. Once warm, neither {@link #step} nor {@link #predict} allocates per example.
 *
 * <p>A model is not thread-safe: one thread at a time may use it.
 */
public final class Model {
    /** Source of {@link #forwardStamp} values, unique within the process. */
    private static final AtomicLong FORWARD_STAMPS = new AtomicLong();

    private static final String STATISTICS_OVERFLOW = "feature statistics would overflow; features are too large";

    private final NetworkSpec spec;
    private final DenseLayer[] layers;
    private final FeatureScaler scaler;
    private final MatrixProducts products;
    private final Optimizer optimizer;
    /** The network's input rows: the batch or query after standardisation. */
    private final DMatrixRMaj input;
    private final int maxRows;

    private long examplesSeen;
    private long updatesApplied;
    private long stepsRejected;
    /** Updates applied since the optimizer moments last started from zero: at creation, or a restart. */
    private long optimizerSteps;
    /** Multiplies the learning rate while {@link #boostedStepsLeft} is positive. */
    private double learningRateFactor = 1.0;
    private long boostedStepsLeft;
    /**
     * Names the current weights and feature statistics: it changes whenever a forward pass
     * could give other numbers, so a forward pass kept under it is still this model's.
     */
    private long forwardStamp = FORWARD_STAMPS.incrementAndGet();

    private Model(NetworkSpec spec, MatrixProducts products) {
        this.spec = spec;
        this.products = products;
        maxRows = spec.batchSize();
        int depth = spec.depth();
        layers = new DenseLayer[depth];
        int moments = spec.optimizer().type().momentBuffers();
        for (int l = 0; l < depth; l++) {
            layers[l] = new DenseLayer(spec.layers().get(l), spec.layers().get(l + 1),
                    spec.activationOf(l), moments, maxRows, l == depth - 1);
        }
        scaler = spec.standardize() ? new FeatureScaler(spec.inputs()) : null;
        input = new DMatrixRMaj(maxRows, spec.inputs());
        optimizer = new Optimizer(spec.optimizer());
    }

    /** A new model with weights drawn from the spec's seed and initialisation rule. */
    public static Model create(NetworkSpec spec) {
        return create(spec, EjmlProducts.INSTANCE);
    }

    /** As {@link #create(NetworkSpec)}, with another implementation of the matrix products. */
    public static Model create(NetworkSpec spec, MatrixProducts products) {
        Model model = new Model(spec, products);
        SplittableRandom random = new SplittableRandom(spec.seed());
        for (DenseLayer layer : model.layers) {
            double range = spec.init().range(layer.activation, layer.inputs, layer.outputs);
            double[] w = layer.weights.data;
            for (int i = 0; i < w.length; i++) {
                // w ~ U(-range, range)
                w[i] = (2.0 * random.nextDouble() - 1.0) * range;
            }
        }
        return model;
    }

    /** An all-zero model for {@code spec}, for a decoder to fill. */
    static Model blank(NetworkSpec spec) {
        return new Model(spec, EjmlProducts.INSTANCE);
    }

    public NetworkSpec spec() {
        return spec;
    }

    /** Examples that training steps have been given, applied or not. */
    public long examplesSeen() {
        return examplesSeen;
    }

    /** Training steps applied; this is the model's version. */
    public long updatesApplied() {
        return updatesApplied;
    }

    /** Training steps refused because they would have made the model non-finite. */
    public long stepsRejected() {
        return stepsRejected;
    }

    public long parameterCount() {
        return spec.parameterCount();
    }

    /**
     * Updates applied since the optimizer's moments last started from zero, at creation or at
     * {@link #restartOptimizer}; Adam's bias correction counts these.
     */
    public long optimizerSteps() {
        return optimizerSteps;
    }

    /** The factor on the spec's learning rate for the next update: 1 unless a boost is running. */
    public double learningRateFactor() {
        return boostedStepsLeft > 0 ? learningRateFactor : 1.0;
    }

    /** How many more applied updates the learning-rate boost of {@link #restartOptimizer} lasts. */
    public long boostedStepsLeft() {
        return boostedStepsLeft;
    }

    /**
     * Restarts the optimizer, for instance after the data changed concept: its moments (Adam's
     * first and second, momentum's velocity) go back to zero and Adam's bias correction counts
     * again from the next update, as for a new model; weights, biases and feature statistics stay.
     * For the next {@code boostedSteps} applied updates the learning rate is multiplied by
     * {@code learningRateFactor}, so the model can move away from what it learned faster.
     *
     * @param learningRateFactor a finite number &gt; 0 (1 for no boost)
     * @param boostedSteps       the number of applied updates the factor lasts, &gt;= 0
     */
    public void restartOptimizer(double learningRateFactor, long boostedSteps) {
        if (!(learningRateFactor > 0) || Double.isInfinite(learningRateFactor)) {
            throw new IllegalArgumentException("learningRateFactor must be a finite number > 0, got "
                    + learningRateFactor);
        }
        if (boostedSteps < 0) {
            throw new IllegalArgumentException("boostedSteps must be >= 0, got " + boostedSteps);
        }
        for (DenseLayer layer : layers) {
            for (int k = 0; k < layer.weightMoments.length; k++) {
                layer.weightMoments[k].zero();
                layer.biasMoments[k].zero();
            }
        }
        restoreOptimizerSchedule(0, learningRateFactor, boostedSteps);
    }

    /**
     * A fresh model under this model's spec: weights drawn again as {@link #create} draws them,
     * optimizer moments at zero, no feature statistics. The counters carry over, and the reset
     * counts as one update: the fresh weights get a version of their own, one above this model's,
     * so that no version names two sets of weights. This model is left unchanged.
     */
    public Model reinitialized() {
        Model fresh = create(spec, products);
        fresh.restoreCounters(examplesSeen, updatesApplied + 1, stepsRejected);
        fresh.restoreOptimizerSchedule(0, 1.0, 0);
        return fresh;
    }

    /**
     * A model under {@code newSpec}, which must have the same layer sizes, carrying over this
     * model's weights, biases and counters. The optimizer moments carry over when the update
     * rule stays the same (they mean nothing to another rule and start at zero), and so do the
     * feature statistics when standardisation stays on. This model is left unchanged.
     *
     * @throws IllegalArgumentException when the layer sizes differ
     */
    public Model withSpec(NetworkSpec newSpec) {
        if (!spec.sameShapeAs(newSpec)) {
            throw new IllegalArgumentException("layers " + newSpec.layers()
                    + " do not match the model's layers " + spec.layers());
        }
        Model next = new Model(newSpec, products);
        boolean sameRule = newSpec.optimizer().type() == spec.optimizer().type();
        for (int l = 0; l < layers.length; l++) {
            DenseLayer from = layers[l];
            DenseLayer to = next.layers[l];
            to.weights.setTo(from.weights);
            to.bias.setTo(from.bias);
            for (int k = 0; sameRule && k < from.weightMoments.length; k++) {
                to.weightMoments[k].setTo(from.weightMoments[k]);
                to.biasMoments[k].setTo(from.biasMoments[k]);
            }
        }
        if (scaler != null && next.scaler != null) {
            next.scaler.restoreFrom(scaler.count(), scaler.mean(), scaler.m2());
        }
        next.restoreCounters(examplesSeen, updatesApplied, stepsRejected);
        next.restoreOptimizerSchedule(optimizerSteps, learningRateFactor, boostedStepsLeft);
        return next;
    }

    /**
     * This model with {@code outputs} output units instead of its current number, which must
     * not be smaller: for a classifier that meets a class it has not seen. Everything learned
     * carries over, the optimizer's schedule (its update count and any learning-rate boost)
     * included; the new units start with zero weights, bias and optimizer moments, so the
     * logits of the existing units are unchanged. This model is left unchanged.
     *
     * @throws IllegalArgumentException when {@code outputs} is below the current number
     */
    public Model withOutputs(int outputs) {
        int current = spec.outputs();
        if (outputs < current) {
            throw new IllegalArgumentException("cannot shrink the output layer from " + current + " to "
                    + outputs + " units");
        }
        List<Integer> sizes = new ArrayList<>(spec.layers());
        sizes.set(sizes.size() - 1, outputs);
        Model next = new Model(spec.toBuilder().layers(sizes).build(), products);
        for (int l = 0; l < layers.length; l++) {
            DenseLayer from = layers[l];
            DenseLayer to = next.layers[l];
            if (l < layers.length - 1) {
                copyLayer(from, to);
                continue;
            }
            // the output layer: copy the first `current` columns of each row, leave the rest zero
            copyColumns(from.weights, to.weights, current);
            copyColumns(from.bias, to.bias, current);
            for (int k = 0; k < from.weightMoments.length; k++) {
                copyColumns(from.weightMoments[k], to.weightMoments[k], current);
                copyColumns(from.biasMoments[k], to.biasMoments[k], current);
            }
        }
        if (scaler != null) {
            next.scaler.restoreFrom(scaler.count(), scaler.mean(), scaler.m2());
        }
        next.restoreCounters(examplesSeen, updatesApplied, stepsRejected);
        next.restoreOptimizerSchedule(optimizerSteps, learningRateFactor, boostedStepsLeft);
        return next;
    }

    private static void copyLayer(DenseLayer from, DenseLayer to) {
        to.weights.setTo(from.weights);
        to.bias.setTo(from.bias);
        for (int k = 0; k < from.weightMoments.length; k++) {
            to.weightMoments[k].setTo(from.weightMoments[k]);
            to.biasMoments[k].setTo(from.biasMoments[k]);
        }
    }

    /** Copies the first {@code columns} columns of every row of {@code from} into {@code to}. */
    private static void copyColumns(DMatrixRMaj from, DMatrixRMaj to, int columns) {
        for (int r = 0; r < from.numRows; r++) {
            System.arraycopy(from.data, r * from.numCols, to.data, r * to.numCols, columns);
        }
    }

    /** Predicts one example: fills {@code out} (outputs values) from {@code x} (inputs values). */
    public void predict(double[] x, double[] out) {
        checkLength("features", x.length, spec.inputs());
        checkLength("output", out.length, spec.outputs());
        loadRow(x, 0, 1);
        forward();
        System.arraycopy(outputLayer().output.data, 0, out, 0, out.length);
    }

    /** As {@link #predict(double[], double[])}, also copying the output layer's logits. */
    public void predict(double[] x, double[] out, double[] logits) {
        predict(x, out);
        checkLength("logits", logits.length, spec.outputs());
        System.arraycopy(outputLayer().logits.data, 0, logits, 0, logits.length);
    }

    /**
     * The loss of an earlier prediction, given its logits and outputs, against {@code target};
     * for a label that arrives after its example was predicted.
     */
    public double score(double[] logits, double[] out, double[] target) {
        checkLength("logits", logits.length, spec.outputs());
        checkLength("output", out.length, spec.outputs());
        checkLength("target", target.length, spec.outputs());
        return spec.loss().exampleLoss(logits, out, 0, target, 0, spec.outputs());
    }

    /**
     * Predicts one example and returns its loss against {@code target}, without learning.
     * This is the "test" half of test-then-train.
     */
    public double predictAndScore(double[] x, double[] target, double[] out) {
        predict(x, out);
        checkLength("target", target.length, spec.outputs());
        DenseLayer last = outputLayer();
        return spec.loss().exampleLoss(last.logits.data, last.output.data, 0, target, 0,
                spec.outputs());
    }

    /**
     * As {@link #predictAndScore}, then appends the example to {@code batch} together with the
     * forward pass just computed, so that a {@link #step} on the batch before the weights change
     * need not compute it again: test-then-train with one forward pass per example.
     */
    public double predictAndAdd(double[] x, double[] target, double[] out, MiniBatch batch) {
        double loss = predictAndScore(x, target, out);
        batch.add(x, target);
        batch.keepForward(layers, forwardStamp);
        return loss;
    }

    /** Predicts many examples, in chunks of at most the batch size. */
    public void predictBatch(double[][] xs, double[][] outs) {
        if (xs.length != outs.length) {
            throw new IllegalArgumentException(xs.length + " inputs but " + outs.length + " outputs");
        }
        int n = spec.outputs();
        for (int start = 0; start < xs.length; start += maxRows) {
            int rows = Math.min(maxRows, xs.length - start);
            input.reshape(rows, spec.inputs(), false);
            for (int r = 0; r < rows; r++) {
                checkLength("features", xs[start + r].length, spec.inputs());
                copyRow(xs[start + r], 0, r);
            }
            forward();
            double[] a = outputLayer().output.data;
            for (int r = 0; r < rows; r++) {
                checkLength("output", outs[start + r].length, n);
                System.arraycopy(a, r * n, outs[start + r], 0, n);
            }
        }
    }

    /**
     * Takes one training step on {@code batch}: computes the gradient, clips it, applies the
     * optimizer and folds the batch into the feature statistics. A step that would leave any
     * weight, moment or statistic non-finite changes nothing and says why. The batch is left as is.
     *
     * <p>The batch is standardised with the statistics as they stand before it, the ones its
     * examples were predicted with, so the gradient is taken exactly where the reported losses
     * were; the forward passes kept by {@link #predictAndAdd} are used when they are all still
     * valid. Only the first batch, which meets empty statistics, is folded in first and
     * standardised with its own statistics.
     */
    public StepResult step(MiniBatch batch) {
        int rows = batch.size();
        if (rows == 0) {
            throw new IllegalArgumentException("cannot step on an empty mini-batch");
        }
        checkBatchShape(batch);
        examplesSeen += rows;
        String badInput = firstNonFinite(batch);
        if (badInput != null) {
            return reject(rows, Double.NaN, Double.NaN, badInput);
        }
        boolean statisticsFirst = scaler != null && scaler.count() == 0;
        if (statisticsFirst && !foldIntoStatistics(batch)) {
            return reject(rows, Double.NaN, Double.NaN, STATISTICS_OVERFLOW);
        }
        double loss = !statisticsFirst && batch.keepsForwardOf(forwardStamp)
                ? gradientsFromKeptForward(batch) : computeGradients(batch);
        double norm = Math.sqrt(gradientSquaredNorm());
        if (!Double.isFinite(loss) || !Double.isFinite(norm)) {
            return rollbackAndReject(statisticsFirst, rows, loss, norm,
                    "loss or gradient is not finite (loss=" + loss + ", gradient norm=" + norm + ")");
        }
        double clip = spec.clipNorm();
        if (clip > 0 && norm > clip) {
            for (DenseLayer layer : layers) {
                layer.scaleGradients(clip / norm);
            }
        }
        long step = optimizerSteps + 1;
        optimizer.prepare(step, learningRateFactor());
        for (int l = 0; l < layers.length; l++) {
            if (!updateStaysFinite(layers[l])) {
                return rollbackAndReject(statisticsFirst, rows, loss, norm,
                        "update would make weights of layer " + (l + 1) + " non-finite");
            }
        }
        if (scaler != null && !statisticsFirst && !foldIntoStatistics(batch)) {
            return reject(rows, loss, norm, STATISTICS_OVERFLOW);
        }
        for (DenseLayer layer : layers) {
            applyUpdate(layer);
        }
        forwardStamp = FORWARD_STAMPS.incrementAndGet();
        updatesApplied++;
        optimizerSteps = step;
        if (boostedStepsLeft > 0 && --boostedStepsLeft == 0) {
            learningRateFactor = 1.0;
        }
        return StepResult.applied(rows, loss, norm);
    }

    /**
     * Runs forward and backward on {@code batch} and leaves in each layer the gradient of the
     * objective (mean data loss plus weight decay). Standardises with the current statistics
     * without updating them.
     *
     * @return the mean data loss, without the weight-decay term
     */
    double computeGradients(MiniBatch batch) {
        loadRow(batch.featureData(), 0, batch.size());
        forward();
        return backward(batch);
    }

    /** As {@link #computeGradients}, on the forward pass the batch kept from the predictions. */
    private double gradientsFromKeptForward(MiniBatch batch) {
        loadRow(batch.featureData(), 0, batch.size());
        batch.restoreForward(layers);
        return backward(batch);
    }

    /** The backward pass after a forward pass over {@code batch}; returns the mean data loss. */
    private double backward(MiniBatch batch) {
        int rows = batch.size();
        DenseLayer last = outputLayer();
        DMatrixRMaj targets = batch.targets();
        double loss = meanLoss(last, targets, rows);

        last.delta.reshape(rows, last.outputs, false);
        spec.loss().outputDelta(last.activation, last.output.data, targets.data, last.delta.data,
                rows, last.outputs, spec.leakySlope());
        for (int l = layers.length - 1; l >= 0; l--) {
            DMatrixRMaj layerInput = l == 0 ? input : layers[l - 1].output;
            layers[l].backward(layerInput, l == 0 ? null : layers[l - 1], products, spec.leakySlope());
            if (spec.l2() > 0) {
                layers[l].addWeightDecay(spec.l2());
            }
        }
        return loss;
    }

    /** The objective that {@link #computeGradients} differentiates: mean loss plus weight decay. */
    double objective(MiniBatch batch) {
        int rows = batch.size();
        loadRow(batch.featureData(), 0, rows);
        forward();
        double value = meanLoss(outputLayer(), batch.targets(), rows);
        if (spec.l2() > 0) {
            for (DenseLayer layer : layers) {
                value += layer.weightDecayPenalty(spec.l2());
            }
        }
        return value;
    }

    long forwardStamp() {
        return forwardStamp;
    }

    DenseLayer layer(int l) {
        return layers[l];
    }

    int depth() {
        return layers.length;
    }

    FeatureScaler scaler() {
        return scaler;
    }

    /** Sets the counters; the optimizer is taken to have counted every update, with no boost. */
    void restoreCounters(long examplesSeen, long updatesApplied, long stepsRejected) {
        this.examplesSeen = examplesSeen;
        this.updatesApplied = updatesApplied;
        this.stepsRejected = stepsRejected;
        restoreOptimizerSchedule(updatesApplied, 1.0, 0);
    }

    void restoreOptimizerSchedule(long optimizerSteps, double learningRateFactor, long boostedStepsLeft) {
        this.optimizerSteps = optimizerSteps;
        this.boostedStepsLeft = boostedStepsLeft;
        this.learningRateFactor = boostedStepsLeft > 0 ? learningRateFactor : 1.0;
    }

    /** True when the optimizer counted every update and no boost runs, as in a never-restarted model. */
    boolean hasPlainOptimizerSchedule() {
        return optimizerSteps == updatesApplied && boostedStepsLeft == 0;
    }

    private double meanLoss(DenseLayer last, DMatrixRMaj targets, int rows) {
        int n = last.outputs;
        double sum = 0.0;
        for (int r = 0; r < rows; r++) {
            sum += spec.loss().exampleLoss(last.logits.data, last.output.data, r * n,
                    targets.data, r * n, n);
        }
        return sum / rows;
    }

    private boolean updateStaysFinite(DenseLayer layer) {
        DMatrixRMaj[] wm = layer.weightMoments;
        DMatrixRMaj[] bm = layer.biasMoments;
        return optimizer.staysFinite(layer.weights.data, layer.weightGrad.data,
                wm.length > 0 ? wm[0].data : null, wm.length > 1 ? wm[1].data : null)
                && optimizer.staysFinite(layer.bias.data, layer.biasGrad.data,
                bm.length > 0 ? bm[0].data : null, bm.length > 1 ? bm[1].data : null);
    }

    private void applyUpdate(DenseLayer layer) {
        DMatrixRMaj[] wm = layer.weightMoments;
        DMatrixRMaj[] bm = layer.biasMoments;
        optimizer.apply(layer.weights.data, layer.weightGrad.data,
                wm.length > 0 ? wm[0].data : null, wm.length > 1 ? wm[1].data : null);
        optimizer.apply(layer.bias.data, layer.biasGrad.data,
                bm.length > 0 ? bm[0].data : null, bm.length > 1 ? bm[1].data : null);
    }

    private double gradientSquaredNorm() {
        double sum = 0.0;
        for (DenseLayer layer : layers) {
            sum += layer.gradientSquaredNorm();
        }
        return sum;
    }

    private void forward() {
        DMatrixRMaj x = input;
        for (DenseLayer layer : layers) {
            layer.forward(x, products, spec.leakySlope());
            x = layer.output;
        }
    }

    /** Copies {@code rows} rows of features from {@code src} into the input, standardising them. */
    private void loadRow(double[] src, int srcRow, int rows) {
        input.reshape(rows, spec.inputs(), false);
        for (int r = 0; r < rows; r++) {
            copyRow(src, (srcRow + r) * spec.inputs(), r);
        }
    }

    private void copyRow(double[] src, int srcOffset, int row) {
        int n = spec.inputs();
        if (scaler != null) {
            scaler.transform(src, srcOffset, input.data, row * n);
        } else {
            System.arraycopy(src, srcOffset, input.data, row * n, n);
        }
    }

    private DenseLayer outputLayer() {
        return layers[layers.length - 1];
    }

    /**
     * Folds the batch into the feature statistics; if they would overflow, leaves them as they
     * were and returns false.
     */
    private boolean foldIntoStatistics(MiniBatch batch) {
        scaler.save();
        double[] x = batch.featureData();
        for (int r = 0; r < batch.size(); r++) {
            scaler.update(x, r * spec.inputs());
        }
        scaler.refreshScale();
        if (!scaler.isFinite()) {
            scaler.rollback();
            return false;
        }
        return true;
    }

    private StepResult rollbackAndReject(boolean statisticsChanged, int rows, double loss, double norm,
                                         String why) {
        if (statisticsChanged) {
            scaler.rollback();
        }
        return reject(rows, loss, norm, why);
    }

    private StepResult reject(int rows, double loss, double norm, String why) {
        stepsRejected++;
        return StepResult.rejected(rows, loss, norm, why);
    }

    private String firstNonFinite(MiniBatch batch) {
        double[] x = batch.featureData();
        for (int i = 0, n = batch.size() * spec.inputs(); i < n; i++) {
            if (!Double.isFinite(x[i])) {
                return "example " + (i / spec.inputs()) + " has a non-finite feature " + x[i]
                        + " at index " + (i % spec.inputs());
            }
        }
        double[] t = batch.targets().data;
        for (int i = 0, n = batch.size() * spec.outputs(); i < n; i++) {
            if (!Double.isFinite(t[i])) {
                return "example " + (i / spec.outputs()) + " has a non-finite target " + t[i];
            }
        }
        return null;
    }

    private void checkBatchShape(MiniBatch batch) {
        if (batch.inputs() != spec.inputs() || batch.outputs() != spec.outputs()) {
            throw new IllegalArgumentException("mini-batch is " + batch.inputs() + " -> "
                    + batch.outputs() + ", the model is " + spec.inputs() + " -> " + spec.outputs());
        }
        if (batch.size() > maxRows) {
            throw new IllegalArgumentException("mini-batch holds " + batch.size()
                    + " examples, more than the batch size " + maxRows);
        }
    }

    private static void checkLength(String what, int actual, int expected) {
        if (actual != expected) {
            throw new IllegalArgumentException(what + " has " + actual + " values, the model expects "
                    + expected);
        }
    }
}
