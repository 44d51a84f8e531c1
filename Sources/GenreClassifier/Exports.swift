// The umbrella module: `import GenreClassifier` brings every layer of the stack into scope.

@_exported import AudioIO
@_exported import DSP
@_exported import Features
@_exported import GenreModel
@_exported import NeuralNet
