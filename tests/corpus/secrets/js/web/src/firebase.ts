import { initializeApp } from "firebase/app";

const firebaseConfig = {
  authDomain: "orders-demo-4f2a1.firebaseapp.com",
  projectId: "orders-demo-4f2a1",
  messagingSenderId: "813384920117",
  appId: "1:813384920117:web:c0d627cdb72d6abd3bbecabba1c9dcaf",
  measurementId: "G-7QX2LZK4PN",
};

export const app = initializeApp(firebaseConfig);
