import AudioIO
import DSP
import Features
import NeuralNet
