import DSP
import Testing
import TestSupport

@Test func zzMeasure() throws {
  var worstFFT = 0.0
  for size in RealFFTPlanTests.sizes {
    let plan = try RealFFTPlan(size: size)
    let (re, im) = plan.forward(Reference.floats("fft_in_\(size)"))
    let e = Reference.floats("fft_out_\(size)")
    let eRe = stride(from: 0, to: e.count, by: 2).map { e[$0] }
    let eIm = stride(from: 1, to: e.count, by: 2).map { e[$0] }
    let scale = RealFFTPlanTests.maxMagnitude(eRe, eIm)
    let d = max(discrepancy(re, eRe).absoluteError, discrepancy(im, eIm).absoluteError) / scale
    worstFFT = max(worstFFT, d)
    print("FFT \(size): worst |Δ|/max|X| = \(d)")
  }
  for index in 0..<12 {
    let meta = Reference.meta("stft_\(index)_re")
    let params = meta["params"] as! [String: Any]
    let signal = Reference.signal(meta["signal"] as! String)
    let frames = meta["frames"] as! [Int]
    let stft = try ShortTimeFourierTransformTests.stft(for: params)
    let result = try stft.complex(signal)
    let bins = stft.binCount
    let expRe = Reference.transpose(Reference.floats("stft_\(index)_re"), rows: bins, columns: frames.count)
    let expIm = Reference.transpose(Reference.floats("stft_\(index)_im"), rows: bins, columns: frames.count)
    let ours = { (values: [Float]) in frames.flatMap { values[($0 * bins)..<(($0 + 1) * bins)] } }
    let scale = zip(expRe, expIm).map { Double($0 * $0 + $1 * $1).squareRoot() }.max()!
    let d = max(discrepancy(ours(result.real), expRe).absoluteError, discrepancy(ours(result.imaginary), expIm).absoluteError)
    let power = try stft.power(signal)
    let expPower = zip(expRe, expIm).map { Double($0) * Double($0) + Double($1) * Double($1) }
    let dp = discrepancy(ours(power.values), expPower)
    print("STFT \(index) \(meta["signal"]!) \(params): |Δ|/max|X| = \(d / max(scale, 1e-30)); power |Δ|/maxP = \(dp.absoluteError / max(scale * scale, 1e-30))")
  }
  for name in ["tone", "noise", "chirp", "clicks", "silence"] {
    let meta = Reference.meta("melspec_\(name)")
    let frames = meta["frames"] as! [Int]
    let stft = try ShortTimeFourierTransform(fftSize: 2048, hopLength: 512)
    let bank = try MelFilterbank(sampleRate: 22_050, fftSize: 2048)
    let mel = try bank.apply(to: stft.power(Reference.signal(name)))
    let expected = Reference.transpose(Reference.floats("melspec_\(name)"), rows: 128, columns: frames.count)
    let ours = frames.flatMap { mel.frame($0) }
    let peak = Double(expected.max() ?? 0)
    // relative error only where value > 1e-6 * peak
    var worstRel = 0.0
    for i in ours.indices where Double(expected[i]) > 1e-6 * peak { worstRel = max(worstRel, abs(Double(ours[i]) - Double(expected[i])) / Double(expected[i])) }
    print("mel \(name): \(discrepancy(ours, expected)) peak \(peak) worstRel(>1e-6 peak) \(worstRel)")
    let dct = try DiscreteCosineTransform(inputCount: 128, outputCount: 20)
    let mfcc = try dct.transform(Decibels.powerToDecibels(mel))
    let ref = Reference.transpose(Reference.floats("mfcc_\(name)"), rows: 20, columns: mfcc.frameCount)
    print("mfcc \(name): \(discrepancy(mfcc.values, ref)) maxabs \(ref.map { abs($0) }.max()!)")
  }
  for i in 0..<5 {
    let meta = Reference.meta("mel_\(i)")
    let bank = try MelFilterbankTests.bank(for: meta["params"] as! [String: Any])
    let values = Reference.floats("mel_\(i)")
    let ours = (0..<bank.melCount).flatMap { Array(bank.filter($0).weights) }
    if ours.count == values.count { print("melbank \(i): \(discrepancy(ours, values))") } else { print("melbank \(i) count mismatch") }
  }
  let power = Reference.floats("db_in_power")
  print("db ref1: \(discrepancy(try Decibels.powerToDecibels(power), Reference.floats("db_power_ref1")))")
  print("db refmax: \(discrepancy(try Decibels.powerToDecibels(power, reference: .maximum), Reference.floats("db_power_refmax")))")
  print("amp ref1: \(discrepancy(try Decibels.amplitudeToDecibels(Reference.floats("db_in_magnitude")), Reference.floats("db_amplitude_ref1")))")
  for n in [13, 128] {
    print("dct \(n): \(discrepancy(try DiscreteCosineTransform(inputCount: n).transform(Reference.floats("dct_in_\(n)")), Reference.floats("dct_out_\(n)")))")
  }
}

@Test func zzMeasure2() throws {
  for name in ["tone", "chirp", "noise", "detuned", "clicks"] {
    let stft = try ShortTimeFourierTransform(fftSize: 2048, hopLength: 512)
    let power = try stft.power(Reference.signal(name))
    let tuning = try TuningEstimator.estimateTuning(power, sampleRate: 22_050)
    let bank = try ChromaFilterbank(sampleRate: 22_050, fftSize: 2048, tuning: tuning)
    var chroma = try bank.apply(to: power)
    for t in 0..<chroma.frameCount {
      let peak = chroma.frame(t).max()!
      if peak >= Float.leastNormalMagnitude { for c in 0..<12 { chroma[t, c] /= peak } }
    }
    let expected = Reference.transpose(Reference.floats("chroma_stft_\(name)"), rows: 12, columns: chroma.frameCount)
    print("chroma \(name): tuning \(tuning) \(discrepancy(chroma.values, expected))")
  }
  for i in 0..<3 {
    let name = "chroma_fb_\(i)"
    let params = Reference.meta(name)["params"] as! [String: Any]
    let bank = try ChromaFilterbank(
      sampleRate: params["sr"] as! Int, fftSize: params["n_fft"] as! Int,
      chromaCount: params["n_chroma"] as! Int, tuning: params["tuning"] as! Double,
      centerOctave: params["ctroct"] as? Double ?? 5,
      octaveWidth: params.keys.contains("octwidth") ? params["octwidth"] as? Double : 2,
      baseC: params["base_c"] as? Bool ?? true)
    print("chromafb \(i): \(discrepancy(bank.matrix(), Reference.floats(name)))")
  }
  for (signal, source, target) in [("noise", 44_100, 22_050), ("chirp", 22_050, 16_000), ("short", 48_000, 22_050), ("tone", 22_050, 44_100)] {
    let name = "resample_\(signal)_\(source)_\(target)"
    let input = Array(Reference.signal(signal).prefix(Reference.meta(name)["input_count"] as! Int))
    let out = try Resampler(from: source, to: target).resample(input)
    print("resample \(name): \(discrepancy(out, Reference.floats(name)))")
  }
}
